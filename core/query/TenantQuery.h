#pragma once

#include "db/ConnectionSettings.h"
#include "db/StatementResult.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace fuelsync {

class JobControl;

// One question to many tenants: the same statement once per tenant schema, N at a time on
// sessions of their own, each in a READ ONLY transaction with the tenant first on its
// search_path, sent alone (the extended protocol refuses two statements in one) and rolled
// back. Rows come to the sink as each schema answers, with the schema beside them; a schema
// that fails (a tenant behind in version lacks a column) is listed with its error and the
// others go on. Cancelling stops the running statements on the server.
class TenantQuery
{
public:
    struct Options
    {
        ConnectionSettings settings;
        QStringList schemas;
        int jobs = 4;
        qint64 maxRowsPerSchema = 100'000; // more are counted, not kept
        int cellLimit = 10'000;
    };

    // One schema's answer.
    struct Answer
    {
        QString schema;
        QList<ResultColumn> columns;
        QList<ResultRow> rows;
        qint64 rowsLeftOut = 0;
        qint64 elapsedMs = 0;
    };

    struct Failure
    {
        QString schema;
        QString error; // the server's message, first line
        QString sqlState;
        QString version; // the schema's newest applied migration, when the error may be its age
    };

    struct Summary
    {
        QList<ResultColumn> columns; // of the first schema that answered
        int answered = 0;
        QList<Failure> failures;
        qint64 rows = 0;
        bool cancelled = false;
    };

    // Called on the worker threads, one call at a time, in the order schemas answer. A schema
    // whose columns differ from the first answer's is a failure instead.
    using Sink = std::function<void(const Answer &)>;

    // Throws RequestError when the text is not one statement, or the schemas are not tenants
    // the catalog knows (names are checked, never spliced).
    static Summary run(const Options &options, const QString &statement, JobControl &control,
                       const Sink &sink);
};

} // namespace fuelsync
