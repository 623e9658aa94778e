#include "TenantSchemaName.h"

#include "db/SqlIdentifier.h"

#include <QCoreApplication>

namespace fuelsync::TenantSchemaName {

QString check(const QString &name)
{
    if (name.isEmpty())
        return QCoreApplication::translate("TenantSchemaName",
                                           "a tenant schema name cannot be empty");
    if (!SqlIdentifier::isPlainLowerCase(name)) {
        return QCoreApplication::translate(
                   "TenantSchemaName",
                   "'%1' is not a valid tenant schema name: use 1 to 63 lower-case letters, digits "
                   "and underscores, not starting with a digit")
            .arg(name);
    }
    if (name == u"public")
        return QCoreApplication::translate("TenantSchemaName",
                                           "'public' is the platform schema, not a tenant");
    if (name == u"information_schema" || name.startsWith(u"pg_"))
        return QCoreApplication::translate("TenantSchemaName",
                                           "'%1' is reserved for PostgreSQL's own catalogs")
            .arg(name);
    return {};
}

} // namespace fuelsync::TenantSchemaName
