#include "ApprovalPolicy.h"

#include "audit/AuditLog.h"
#include "common/RequestError.h"
#include "db/DbConnection.h"
#include "db/DbError.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QRegularExpression>

namespace fuelsync {

namespace {

const char *createSql = R"SQL(
CREATE TABLE public.fuelsync_approval_policy (
  environment text PRIMARY KEY,
  required_approvals integer NOT NULL,
  set_by text NOT NULL DEFAULT session_user,
  set_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT fuelsync_approval_policy_environment_check CHECK (environment = 'production'),
  CONSTRAINT fuelsync_approval_policy_required_check
    CHECK (required_approvals BETWEEN 1 AND 10));
REVOKE ALL ON public.fuelsync_approval_policy FROM PUBLIC;
GRANT SELECT ON public.fuelsync_approval_policy TO PUBLIC;
COMMENT ON TABLE public.fuelsync_approval_policy IS 'How many distinct release managers approve a migration file before a production run applies it; set by maintainers (fuelsync-db migrate approve --policy=required:N).';
COMMENT ON COLUMN public.fuelsync_approval_policy.environment IS 'The environment the policy gates: production.';
COMMENT ON COLUMN public.fuelsync_approval_policy.required_approvals IS 'Distinct approvers needed for one checksum of a file.';
COMMENT ON COLUMN public.fuelsync_approval_policy.set_by IS 'The login that set it.';
COMMENT ON COLUMN public.fuelsync_approval_policy.set_at IS 'When it was set.';
COMMENT ON CONSTRAINT fuelsync_approval_policy_environment_check ON public.fuelsync_approval_policy IS 'Only production runs are gated by approvals.';
COMMENT ON CONSTRAINT fuelsync_approval_policy_required_check ON public.fuelsync_approval_policy IS 'From one to ten approvers.';
)SQL";

bool exists(DbConnection &connection)
{
    return connection
        .scalar(QStringLiteral("SELECT to_regclass('public.fuelsync_approval_policy') IS NOT NULL"))
        .toBool();
}

} // namespace

void ApprovalPolicy::ensure(DbConnection &connection)
{
    if (exists(connection))
        return;
    connection.exec(QString::fromUtf8(createSql));
    if (connection.scalar(QStringLiteral("SELECT to_regrole('fuelsync_maintainers') IS NOT NULL"))
            .toBool())
        connection.exec(QStringLiteral(
            "GRANT INSERT, UPDATE ON public.fuelsync_approval_policy TO fuelsync_maintainers"));
}

int ApprovalPolicy::parse(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^required:([0-9]{1,2})$"));
    const auto match = pattern.match(text);
    if (!match.hasMatch())
        return 0;
    const int n = match.captured(1).toInt();
    return n >= 1 && n <= maximum ? n : 0;
}

int ApprovalPolicy::required(DbConnection &connection)
{
    if (!exists(connection))
        return 1;
    const QVariant value = connection.scalar(
        QStringLiteral("SELECT required_approvals FROM public.fuelsync_approval_policy "
                       "WHERE environment = 'production'"));
    return value.isValid() && !value.isNull() ? std::max(1, value.toInt()) : 1;
}

void ApprovalPolicy::setRequired(DbConnection &connection, int approvals)
{
    QElapsedTimer timer;
    timer.start();
    AuditEntry entry;
    entry.kind = QString::fromLatin1(AuditEntry::approvalPolicy);
    entry.what = { { QStringLiteral("environment"), QStringLiteral("production") },
                   { QStringLiteral("required"), approvals } };
    Transaction transaction(connection);
    try {
        ensure(connection);
        entry.what.insert(QStringLiteral("was"), required(connection));
        connection.exec(
            QStringLiteral("INSERT INTO public.fuelsync_approval_policy AS p "
                           "(environment, required_approvals) VALUES ('production', ?) "
                           "ON CONFLICT (environment) DO UPDATE SET required_approvals = "
                           "excluded.required_approvals, set_by = session_user, set_at = now()"),
            { approvals });
        entry.durationMs = timer.elapsed();
        AuditLog::record(connection, entry);
        transaction.commit();
    } catch (const DbError &error) {
        transaction.rollback();
        if (error.sqlState() != u"42501" && error.sqlState() != u"25006")
            throw;
        const QString why =
            QCoreApplication::translate("ApprovalPolicy",
                                        "%1 may not change the approval policy (%2): maintainers "
                                        "(fuelsync_maintainers) may. Nothing was changed.")
                .arg(connection.currentUser(), error.message());
        entry.outcome = AuditEntry::Outcome::Refused;
        entry.error = why;
        entry.durationMs = timer.elapsed();
        AuditLog::recordAlone(connection, entry);
        throw RequestError(why);
    }
}

} // namespace fuelsync
