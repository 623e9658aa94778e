#pragma once

#include <QList>
#include <QString>

#include <compare>
#include <optional>

namespace fuelsync {

// A migration version as written in a file name and header: digits, optionally in dot-separated
// parts ("001", "20240115093000", "1.2"). Compared part by part as numbers, so "001" equals "1"
// and "010" comes after "9".
class MigrationVersion
{
public:
    MigrationVersion() = default;
    static std::optional<MigrationVersion> parse(const QString &text);

    const QString &text() const { return m_text; }
    // Leading zeros removed from each part: the identity used for comparisons and lookups.
    const QString &key() const { return m_key; }
    bool isNull() const { return m_text.isEmpty(); }

    std::strong_ordering operator<=>(const MigrationVersion &other) const;
    bool operator==(const MigrationVersion &other) const { return m_key == other.m_key; }

private:
    QString m_text;
    QString m_key;
    QList<QString> m_parts; // normalized parts, compared by length then text
};

size_t qHash(const MigrationVersion &version, size_t seed = 0);

} // namespace fuelsync
