#pragma once

#include "environment/DeploymentEnvironment.h"
#include "sql/SqlScript.h"

#include <QList>
#include <QPair>
#include <QString>

namespace fuelsync {

// One seed set from migrations/seeds/: a header, then a `-- section: public` part run once in
// public and an optional `-- section: tenant` part run once in every tenant whose schema matches
// the header's `tenants:` LIKE pattern.
//
//   -- seed: comprehensive
//   -- description: Realistic volume for development and benchmarks
//   -- environments: development, staging
//   -- tenants: demo_%
//   -- param: stations_per_tenant = 3        (any number of these: the one place sizes are set)
//
// Each param reaches the SQL as the session setting fuelsync.seed.<name>.
struct SeedFile
{
    QString name; // the seed set's name (header `seed:`)
    QString description;
    QList<DeploymentEnvironment> environments; // empty: all
    QString tenantPattern; // LIKE pattern; empty: no tenant section
    QList<QPair<QString, QString>> params;
    QString path;
    QString displayPath;
    SqlScript publicSection;
    SqlScript tenantSection;
    bool hasTenantSection = false;

    struct Problem
    {
        int line = 0;
        QString message;
    };
    QList<Problem> problems;

    static SeedFile read(const QString &path, const QString &displayPath);
    // Every seed file of a directory, by file name.
    static QList<SeedFile> readAll(const QString &seedsDirectory, const QString &displayRoot);
    bool appliesIn(DeploymentEnvironment environment) const
    {
        return environments.isEmpty() || environments.contains(environment);
    }
    static bool isValidParamName(const QString &name);
};

} // namespace fuelsync
