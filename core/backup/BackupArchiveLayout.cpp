#include "BackupArchiveLayout.h"

#include "db/SqlIdentifier.h"

#include <algorithm>
#include <numeric>
#include <vector>

namespace fuelsync {

int BackupArchiveLayout::automaticArchives(int jobs)
{
    return 4 * std::max(1, jobs);
}

QList<BackupArchiveLayout::Archive> BackupArchiveLayout::plan(const QList<SchemaSize> &schemas,
                                                              int jobs, int schemasPerArchive)
{
    QList<Archive> own;
    QList<SchemaSize> tenants;
    for (const SchemaSize &s : schemas) {
        if (s.name != u"public" && SqlIdentifier::isPlainLowerCase(s.name)) {
            tenants.append(s);
            continue;
        }
        // A name that needs quoting may hold anything, a '/' included: its file is numbered.
        const QString file = SqlIdentifier::isPlainLowerCase(s.name)
            ? s.name + QStringLiteral(".dump")
            : QStringLiteral("schema-%1.dump").arg(own.size() + 1);
        own.append({ file, { s.name }, s.bytes });
    }
    const qsizetype count = tenants.size();
    const int automatic = automaticArchives(jobs);
    const bool packed =
        count > 1 && (schemasPerArchive == 0 ? count > automatic : schemasPerArchive > 1);
    if (!packed) {
        for (const SchemaSize &s : std::as_const(tenants))
            own.append({ s.name + QStringLiteral(".dump"), { s.name }, s.bytes });
        return own;
    }
    const qsizetype groups =
        schemasPerArchive == 0 ? automatic : (count + schemasPerArchive - 1) / schemasPerArchive;
    const qsizetype cap = schemasPerArchive == 0 ? count : schemasPerArchive;

    // Largest first, each into the lightest archive that has room (of two as light, the one
    // with fewer schemas); ties by name, so the same sizes always give the same archives.
    std::vector<qsizetype> order(static_cast<size_t>(count));
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&tenants](qsizetype a, qsizetype b) {
        const SchemaSize &x = tenants.at(a);
        const SchemaSize &y = tenants.at(b);
        return x.bytes != y.bytes ? x.bytes > y.bytes : x.name < y.name;
    });
    QList<Archive> packs(std::min(groups, count));
    for (const qsizetype i : order) {
        Archive *lightest = nullptr;
        for (Archive &a : packs) {
            // Equal sizes (tables never analyzed count as empty) go to the one with fewest.
            if (a.schemas.size() < cap
                && (!lightest || a.bytes < lightest->bytes
                    || (a.bytes == lightest->bytes && a.schemas.size() < lightest->schemas.size())))
                lightest = &a;
        }
        lightest->schemas.append(tenants.at(i).name);
        lightest->bytes += tenants.at(i).bytes;
    }
    for (Archive &a : packs)
        std::sort(a.schemas.begin(), a.schemas.end());
    std::sort(packs.begin(), packs.end(), [](const Archive &a, const Archive &b) {
        return a.schemas.first() < b.schemas.first();
    });
    const int width = int(QString::number(packs.size()).size());
    for (qsizetype k = 0; k < packs.size(); ++k)
        packs[k].file =
            QStringLiteral("tenants-%1.dump").arg(k + 1, std::max(2, width), 10, QChar(u'0'));
    return own + packs;
}

} // namespace fuelsync
