#pragma once

#include "SchemaValidator.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace fuelsync {

// What each validation of a database came to, kept on the local disk by database (its server's
// identity and its name, as backups are), the newest 500 runs: `validate history`, the window's
// Health view and its chart read it, and the schema tree marks the tenants the last run found
// drifted. A run that failed after it reached the server is kept too, with why.
class ValidationHistory
{
public:
    struct Entry
    {
        QDateTime startedAt;
        QDateTime finishedAt;
        QString target; // user@host:port/db
        QString runner; // who ran it, from where
        QStringList checks;
        int tenantsChecked = 0;
        int errors = 0;
        int warnings = 0;
        int infos = 0;
        int notChecked = 0;
        int exitCode = 0;
        QString error; // a run that ended before its report: why (cancelled, the server went)
        QStringList drifted; // schemas with a drift finding
        QStringList summary;

        static Entry of(const SchemaValidator::Report &report);
        QJsonObject toJson() const;
        static Entry fromJson(const QJsonObject &json);
    };

    explicit ValidationHistory(QString folder);
    const QString &folder() const { return m_folder; }

    // Adds the entry; false when the folder cannot be written (the run's own outcome stands).
    bool record(const Entry &entry) const;
    // Newest first.
    QList<Entry> recent(int count = 50) const;

    // ~/.local/share/fuelsync-admin/validation
    static QString root();
    // <root>/<database>-<system identifier>, named as the database's backup folder is.
    static QString folderFor(const QString &root, const QString &database,
                             const QString &systemIdentifier, const QString &place);

    static constexpr int kept = 500;

private:
    QString m_folder;
};

} // namespace fuelsync
