#include "MigrationVersion.h"

#include <QHash>
#include <QRegularExpression>

namespace fuelsync {

std::optional<MigrationVersion> MigrationVersion::parse(const QString &text)
{
    static const QRegularExpression pattern(
        QRegularExpression::anchoredPattern(QStringLiteral("[0-9]{1,40}(\\.[0-9]{1,40})*")));
    const QString trimmed = text.trimmed();
    if (trimmed.size() > 50 || !pattern.match(trimmed).hasMatch())
        return std::nullopt;
    MigrationVersion version;
    version.m_text = trimmed;
    for (const QString &part : trimmed.split(u'.')) {
        qsizetype firstNonZero = 0;
        while (firstNonZero < part.size() - 1 && part.at(firstNonZero) == u'0')
            ++firstNonZero;
        version.m_parts.append(part.mid(firstNonZero));
    }
    version.m_key = version.m_parts.join(u'.');
    return version;
}

std::strong_ordering MigrationVersion::operator<=>(const MigrationVersion &other) const
{
    const qsizetype common = std::min(m_parts.size(), other.m_parts.size());
    for (qsizetype i = 0; i < common; ++i) {
        const QString &a = m_parts.at(i);
        const QString &b = other.m_parts.at(i);
        if (a.size() != b.size())
            return a.size() <=> b.size();
        const int c = a.compare(b);
        if (c != 0)
            return c <=> 0;
    }
    return m_parts.size() <=> other.m_parts.size();
}

size_t qHash(const MigrationVersion &version, size_t seed)
{
    return qHash(version.key(), seed);
}

} // namespace fuelsync
