#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace fuelsync {

// One row of public.fuelsync_audit: one action on the database and how it ended.
struct AuditEntry
{
    // Kinds, as recorded.
    static constexpr const char *migrateUp = "migrate up";
    static constexpr const char *migrateDown = "migrate down";
    static constexpr const char *dryRun = "dry run";
    static constexpr const char *approve = "approve";
    static constexpr const char *approvalPolicy = "approval policy";
    static constexpr const char *envSet = "env set";
    static constexpr const char *tenantCreate = "tenant create";
    static constexpr const char *seed = "seed";
    static constexpr const char *backupRun = "backup run";
    static constexpr const char *restore = "restore";
    static constexpr const char *prune = "prune";
    static constexpr const char *roles = "roles";
    static constexpr const char *queryCommit = "query commit";
    static constexpr const char *query = "query"; // a console statement refused

    enum class Outcome { Done, Failed, Cancelled, Refused };

    qint64 id = 0; // 0 until recorded
    QDateTime at; // when it was recorded (server time)
    QString kind;
    Outcome outcome = Outcome::Done;
    QString databaseRole; // session_user, stamped by the server
    QString osUser;
    QString host;
    QString program; // "fuelsync-db 0.4.0"
    QJsonObject what; // versions, schemas, archive, environment...
    QString error; // the error, or why it was refused
    qint64 durationMs = -1; // -1: not measured

    static QString outcomeName(Outcome outcome); // "done", "failed", "cancelled", "refused"
    static Outcome outcomeFrom(const QString &name);
    // "applied 006 to demo_001, demo_002" or the like, from `what`, for one line of a list.
    QString summary() const;
};

} // namespace fuelsync
