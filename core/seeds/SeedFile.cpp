#include "SeedFile.h"

#include "migrationfiles/CommentHeader.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QStringDecoder>

namespace fuelsync {

bool SeedFile::isValidParamName(const QString &name)
{
    static const QRegularExpression pattern(
        QRegularExpression::anchoredPattern(QStringLiteral("[a-z_][a-z0-9_]{0,40}")));
    return pattern.match(name).hasMatch();
}

SeedFile SeedFile::read(const QString &path, const QString &displayPath)
{
    SeedFile seed;
    seed.path = path;
    seed.displayPath = displayPath;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        seed.problems.append({ 0,
                               QCoreApplication::translate("SeedFile", "cannot read the file: %1")
                                   .arg(file.errorString()) });
        return seed;
    }
    QStringDecoder decoder(QStringDecoder::Utf8);
    QString text = decoder(file.readAll());
    if (decoder.hasError()) {
        seed.problems.append(
            { 0, QCoreApplication::translate("SeedFile", "the file is not valid UTF-8 text") });
        return seed;
    }
    text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));

    const CommentHeader header = CommentHeader::parse(
        text,
        { QStringLiteral("seed"), QStringLiteral("description"), QStringLiteral("environments"),
          QStringLiteral("tenants"), QStringLiteral("param") },
        { QStringLiteral("param") });
    for (const CommentHeader::Problem &p : header.problems())
        seed.problems.append({ p.line, p.message });
    seed.name = header.value(QStringLiteral("seed"));
    if (seed.name.isEmpty())
        seed.problems.append({ 1,
                               QCoreApplication::translate(
                                   "SeedFile", "the header has no '-- seed: <name>' line") });
    seed.description = header.value(QStringLiteral("description"));
    QString environmentError;
    const auto environments = DeploymentEnvironments::parseList(
        header.value(QStringLiteral("environments")), &environmentError);
    if (!environments)
        seed.problems.append({ header.line(QStringLiteral("environments")), environmentError });
    else
        seed.environments = *environments;
    seed.tenantPattern = header.value(QStringLiteral("tenants"));
    for (const CommentHeader::Field &field : header.all(QStringLiteral("param"))) {
        const qsizetype equals = field.value.indexOf(u'=');
        const QString name = field.value.left(equals).trimmed();
        const QString value = equals < 0 ? QString() : field.value.mid(equals + 1).trimmed();
        if (equals < 0 || !isValidParamName(name) || value.isEmpty()) {
            seed.problems.append(
                { field.line,
                  QCoreApplication::translate("SeedFile",
                                              "a param line must read '-- param: name = value' "
                                              "with a lower-case name") });
            continue;
        }
        seed.params.append({ name, value });
    }

    // Split into sections, keeping every line where it is so that statement lines stay file lines.
    static const QRegularExpression sectionPattern(
        QStringLiteral("^\\s*--\\s*section\\s*:\\s*(\\S+)\\s*$"));
    QStringList lines = text.split(u'\n');
    QStringList publicLines(lines.size());
    QStringList tenantLines(lines.size());
    QStringList outsideLines(lines.size());
    QString current;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const auto match = sectionPattern.match(lines.at(i));
        if (match.hasMatch()) {
            current = match.captured(1).toLower();
            if (current != u"public" && current != u"tenant") {
                seed.problems.append({ int(i + 1),
                                       QCoreApplication::translate(
                                           "SeedFile", "a section is public or tenant, not '%1'")
                                           .arg(match.captured(1)) });
            }
            if (current == u"tenant")
                seed.hasTenantSection = true;
            continue;
        }
        if (current == u"public")
            publicLines[i] = lines.at(i);
        else if (current == u"tenant")
            tenantLines[i] = lines.at(i);
        else if (current.isEmpty())
            outsideLines[i] = lines.at(i);
    }
    const SqlScript outside = SqlScript::parse(outsideLines.join(u'\n'));
    if (!outside.statements().isEmpty()) {
        seed.problems.append({ outside.statements().first().line,
                               QCoreApplication::translate(
                                   "SeedFile", "SQL before the first '-- section: public' line") });
    }
    seed.publicSection = SqlScript::parse(publicLines.join(u'\n'));
    seed.tenantSection = SqlScript::parse(tenantLines.join(u'\n'));
    for (const SqlScriptProblem &p : seed.publicSection.problems())
        seed.problems.append({ p.line, p.message });
    for (const SqlScriptProblem &p : seed.tenantSection.problems())
        seed.problems.append({ p.line, p.message });
    if (seed.hasTenantSection && seed.tenantPattern.isEmpty()) {
        seed.problems.append({ 1,
                               QCoreApplication::translate(
                                   "SeedFile",
                                   "there is a tenant section but no '-- tenants: <LIKE pattern>' "
                                   "header saying which tenants it fills") });
    }
    return seed;
}

QList<SeedFile> SeedFile::readAll(const QString &seedsDirectory, const QString &displayRoot)
{
    QList<SeedFile> seeds;
    const QDir dir(seedsDirectory);
    for (const QString &name :
         dir.entryList({ QStringLiteral("*.sql") }, QDir::Files, QDir::Name)) {
        seeds.append(read(dir.filePath(name), displayRoot + QStringLiteral("/seeds/") + name));
    }
    return seeds;
}

} // namespace fuelsync
