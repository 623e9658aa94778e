// How a backup's schemas are spread over archives (BackupArchiveLayout), how one schema is picked
// out of an archive it shares (BackupSchemaSelection, on pg_restore listings), and the manifest
// that records both, in its present format and the one before (one archive per schema). No
// server: the restores themselves are tested in tst_backup.

#include "backup/BackupArchiveLayout.h"
#include "backup/BackupManifest.h"
#include "backup/BackupSchemaSelection.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QtTest>

#include <algorithm>

using namespace fuelsync;

namespace {

using Layout = QList<BackupArchiveLayout::Archive>;

QList<BackupArchiveLayout::SchemaSize> tenants(int count)
{
    QList<BackupArchiveLayout::SchemaSize> sizes { { QStringLiteral("public"), 5'000 } };
    for (int i = 1; i <= count; ++i)
        // Uneven sizes, from 1 kB to 1 MB.
        sizes.append({ QStringLiteral("t_%1").arg(i, 3, 10, QChar(u'0')),
                       qint64(1'000 + (i * 7919 % 1000) * 1'000) });
    return sizes;
}

QStringList allSchemas(const Layout &layout)
{
    QStringList all;
    for (const auto &a : layout)
        all += a.schemas;
    return all;
}

// The ids of the lines of a pg_restore list.
QList<int> idsOf(const QByteArray &list)
{
    QList<int> ids;
    for (const QByteArray &line : list.split('\n')) {
        if (!line.isEmpty())
            ids.append(line.left(line.indexOf(';')).trimmed().toInt());
    }
    return ids;
}

// What `pg_restore --list` prints of an archive holding a_1, a_10 and "select" (a keyword, so
// quoted in tags), with traps: a table named a_1 in a_10, and a comment on a_10.
const QByteArray wholeList = R"(;
; Archive created at 2026-11-29 21:14:31 UTC
;     dbname: fuelsync
;
; Selected TOC Entries:
;
6; 2615 16463 SCHEMA - a_1 postgres
7; 2615 16464 SCHEMA - a_10 postgres
8; 2615 16465 SCHEMA - select owner with spaces
3901; 0 0 COMMENT - SCHEMA a_1 postgres
3902; 0 0 COMMENT - SCHEMA a_10 postgres
3903; 0 0 COMMENT - SCHEMA "select" owner with spaces
230; 1259 16470 TABLE a_1 alerts postgres
231; 1259 16471 TABLE a_10 a_1 postgres
232; 1259 16472 TABLE select sales owner with spaces
3500; 0 16470 TABLE DATA a_1 alerts postgres
3501; 0 16471 TABLE DATA a_10 a_1 postgres
3502; 0 16472 TABLE DATA select sales owner with spaces
3600; 2606 16480 FK CONSTRAINT a_1 alerts alerts_station_fkey postgres
3950; 0 0 ACL - SCHEMA a_1 postgres
3951; 0 0 ACL - SCHEMA "select" owner with spaces
3952; 0 0 SECURITY LABEL - SCHEMA a_1 postgres
)";

QJsonObject manifestJson(int format)
{
    QJsonObject json { { QStringLiteral("format"), format },
                       { QStringLiteral("id"), QStringLiteral("20261129-210000Z") },
                       { QStringLiteral("snapshot_at"),
                         QStringLiteral("2026-11-29T21:00:00.000Z") } };
    const QString sum(64, u'a');
    if (format == 1) {
        json.insert(
            QStringLiteral("schemas"),
            QJsonArray { QJsonObject { { QStringLiteral("name"), QStringLiteral("public") },
                                       { QStringLiteral("file"), QStringLiteral("public.dump") },
                                       { QStringLiteral("bytes"), 10 },
                                       { QStringLiteral("sha256"), sum },
                                       { QStringLiteral("rows"),
                                         QJsonObject { { QStringLiteral("tenants"), 2 } } } },
                         QJsonObject { { QStringLiteral("name"), QStringLiteral("t_1") },
                                       { QStringLiteral("file"), QStringLiteral("t_1.dump") },
                                       { QStringLiteral("bytes"), 20 },
                                       { QStringLiteral("sha256"), sum } } });
        return json;
    }
    json.insert(
        QStringLiteral("archives"),
        QJsonArray {
            QJsonObject { { QStringLiteral("file"), QStringLiteral("public.dump") },
                          { QStringLiteral("bytes"), 10 },
                          { QStringLiteral("sha256"), sum },
                          { QStringLiteral("schemas"), QJsonArray { QStringLiteral("public") } } },
            QJsonObject { { QStringLiteral("file"), QStringLiteral("tenants-01.dump") },
                          { QStringLiteral("bytes"), 20 },
                          { QStringLiteral("sha256"), sum },
                          { QStringLiteral("schemas"),
                            QJsonArray { QStringLiteral("t_1"), QStringLiteral("t_2") } } } });
    json.insert(
        QStringLiteral("schemas"),
        QJsonArray {
            QJsonObject { { QStringLiteral("name"), QStringLiteral("public") },
                          { QStringLiteral("archive"), QStringLiteral("public.dump") } },
            QJsonObject { { QStringLiteral("name"), QStringLiteral("t_1") },
                          { QStringLiteral("archive"), QStringLiteral("tenants-01.dump") } },
            QJsonObject { { QStringLiteral("name"), QStringLiteral("t_2") },
                          { QStringLiteral("archive"), QStringLiteral("tenants-01.dump") } } });
    return json;
}

} // namespace

class TestBackupLayout : public QObject
{
    Q_OBJECT

private slots:
    void fewTenantsHaveAnArchiveEach()
    {
        const Layout layout = BackupArchiveLayout::plan(tenants(8), 2, 0);
        QCOMPARE(layout.size(), 9);
        QCOMPARE(layout.first().file, QStringLiteral("public.dump"));
        for (const auto &a : layout) {
            QCOMPARE(a.schemas.size(), 1);
            QCOMPARE(a.file, a.schemas.first() + QStringLiteral(".dump"));
        }
        QCOMPARE(allSchemas(layout).size(), 9);
        // One each when asked, however many.
        QCOMPARE(BackupArchiveLayout::plan(tenants(200), 2, 1).size(), 201);
    }

    void manyTenantsArePackedAndBalanced()
    {
        const auto sizes = tenants(200);
        const Layout layout = BackupArchiveLayout::plan(sizes, 2, 0);
        QCOMPARE(layout.size(), 1 + BackupArchiveLayout::automaticArchives(2));
        QCOMPARE(layout.first().schemas, QStringList { QStringLiteral("public") });
        const QStringList all = allSchemas(layout);
        QCOMPARE(all.size(), 201);
        QCOMPARE(QSet<QString>(all.begin(), all.end()).size(), 201);
        qint64 largest = 0;
        for (const auto &s : sizes)
            largest = std::max(largest, s.bytes);
        qint64 lightest = std::numeric_limits<qint64>::max();
        qint64 heaviest = 0;
        for (qsizetype k = 1; k < layout.size(); ++k) {
            const auto &a = layout.at(k);
            QCOMPARE(a.file, QStringLiteral("tenants-%1.dump").arg(k, 2, 10, QChar(u'0')));
            QVERIFY(std::is_sorted(a.schemas.begin(), a.schemas.end()));
            qint64 bytes = 0;
            for (const QString &name : a.schemas)
                bytes += std::find_if(sizes.begin(), sizes.end(), [&name](const auto &s) {
                             return s.name == name;
                         })->bytes;
            QCOMPARE(a.bytes, bytes);
            lightest = std::min(lightest, bytes);
            heaviest = std::max(heaviest, bytes);
        }
        // Largest first into the lightest: no archive is heavier than another by more than one
        // tenant.
        QVERIFY2(heaviest - lightest <= largest,
                 qPrintable(QStringLiteral("%1 .. %2").arg(lightest).arg(heaviest)));

        // The same sizes in another order give the same archives.
        auto shuffled = sizes;
        std::reverse(shuffled.begin() + 1, shuffled.end());
        const Layout again = BackupArchiveLayout::plan(shuffled, 2, 0);
        QCOMPARE(again.size(), layout.size());
        for (qsizetype k = 0; k < layout.size(); ++k)
            QCOMPARE(again.at(k).schemas, layout.at(k).schemas);
        // More pg_dumps at once, more archives.
        QCOMPARE(BackupArchiveLayout::plan(sizes, 4, 0).size(), 1 + 16);
    }

    void unknownSizesAreSpreadByCount()
    {
        // Tables never analyzed count as empty: the tenants are then spread evenly.
        auto sizes = tenants(50);
        for (auto &s : sizes)
            s.bytes = 0;
        const Layout layout = BackupArchiveLayout::plan(sizes, 2, 0);
        QCOMPARE(layout.size(), 1 + 8);
        for (qsizetype k = 1; k < layout.size(); ++k)
            QVERIFY2(layout.at(k).schemas.size() == 6 || layout.at(k).schemas.size() == 7,
                     qPrintable(layout.at(k).schemas.join(u' ')));
        // Ties are broken by name: another order gives the same archives.
        std::reverse(sizes.begin() + 1, sizes.end());
        const Layout again = BackupArchiveLayout::plan(sizes, 2, 0);
        for (qsizetype k = 0; k < layout.size(); ++k)
            QCOMPARE(again.at(k).schemas, layout.at(k).schemas);
    }

    void atMostTheAskedNumberInAnArchive()
    {
        const Layout layout = BackupArchiveLayout::plan(tenants(200), 2, 30);
        QCOMPARE(layout.size(), 1 + 7); // 200 / 30, up
        for (const auto &a : layout)
            QVERIFY(a.schemas.size() <= 30);
        QCOMPARE(allSchemas(layout).size(), 201);
        // One tenant is never packed.
        const Layout one = BackupArchiveLayout::plan(tenants(1), 2, 30);
        QCOMPARE(one.size(), 2);
        QCOMPARE(one.last().file, QStringLiteral("t_001.dump"));
    }

    void namesThatNeedQuotingStandAlone()
    {
        auto sizes = tenants(20);
        sizes.append({ QStringLiteral("Tenant A"), 10 });
        sizes.append({ QStringLiteral("a/b"), 10 });
        sizes.append({ QStringLiteral("tenants-01"), 10 });
        const Layout layout = BackupArchiveLayout::plan(sizes, 1, 0);
        QSet<QString> files;
        for (const auto &a : layout) {
            QVERIFY(!a.file.contains(u'/') && !a.file.startsWith(u'.'));
            files.insert(a.file);
            for (const QString &name : a.schemas) {
                if (name == u"Tenant A" || name == u"a/b" || name == u"tenants-01")
                    QCOMPARE(a.schemas.size(), 1);
            }
        }
        QCOMPARE(files.size(), layout.size());
        QCOMPARE(allSchemas(layout).size(), 24);
        QCOMPARE(layout.at(1).file, QStringLiteral("schema-2.dump"));
    }

    void oneSchemaIsPickedOutOfASharedArchive()
    {
        // pg_restore --list --schema=a_1 names what is in a_1.
        const QByteArray inA1 = "230; 1259 16470 TABLE a_1 alerts postgres\n"
                                "3500; 0 16470 TABLE DATA a_1 alerts postgres\n"
                                "3600; 2606 16480 FK CONSTRAINT a_1 alerts alerts_station_fkey "
                                "postgres\n";
        bool holds = false;
        const QByteArray a1 =
            BackupSchemaSelection::select(wholeList, inA1, QStringLiteral("a_1"), &holds);
        QVERIFY(holds);
        QCOMPARE(idsOf(a1), (QList<int> { 6, 3901, 230, 3500, 3600, 3950, 3952 }));

        // A keyword is quoted where it is a tag; an owner may hold spaces.
        const QByteArray inSelect = "232; 1259 16472 TABLE select sales owner with spaces\n"
                                    "3502; 0 16472 TABLE DATA select sales owner with spaces\n";
        const QByteArray picked =
            BackupSchemaSelection::select(wholeList, inSelect, QStringLiteral("select"), &holds);
        QVERIFY(holds);
        QCOMPARE(idsOf(picked), (QList<int> { 8, 3903, 232, 3502, 3951 }));

        // a_10's, with a table that is named a_1.
        const QByteArray a10 = BackupSchemaSelection::select(
            wholeList, "231; 1259 16471 TABLE a_10 a_1 postgres\n", QStringLiteral("a_10"), &holds);
        QCOMPARE(idsOf(a10), (QList<int> { 7, 3902, 231 }));

        // A schema the archive does not hold.
        BackupSchemaSelection::select(wholeList, QByteArray(), QStringLiteral("a_2"), &holds);
        QVERIFY(!holds);
    }

    void theManifestRecordsArchivesAndSchemas()
    {
        QString error;
        const auto m = BackupManifest::fromJson(manifestJson(2), &error);
        QVERIFY2(m, qPrintable(error));
        QCOMPARE(m->archives.size(), 2);
        QCOMPARE(m->archiveOf(QStringLiteral("t_2"))->file, QStringLiteral("tenants-01.dump"));
        QCOMPARE(m->bytes(), 30);
        QCOMPARE(BackupManifest::fromJson(m->toJson(), &error)->toJson(), m->toJson());

        // Format 1: one archive per schema, named in the schema's entry.
        const auto old = BackupManifest::fromJson(manifestJson(1), &error);
        QVERIFY2(old, qPrintable(error));
        QCOMPARE(old->archives.size(), 2);
        QCOMPARE(old->archiveOf(QStringLiteral("t_1"))->file, QStringLiteral("t_1.dump"));
        QCOMPARE(old->archiveOf(QStringLiteral("t_1"))->schemas,
                 QStringList { QStringLiteral("t_1") });
        QCOMPARE(old->schema(QStringLiteral("public"))->rows(), 2);
        QCOMPARE(old->bytes(), 30);
    }

    void aManifestWhoseArchivesDoNotAddUpIsRefused_data()
    {
        QTest::addColumn<QJsonObject>("json");
        QJsonObject json = manifestJson(2);
        const auto editArchive = [&json](int index, const QString &key, const QJsonValue &value) {
            QJsonObject changed = json;
            QJsonArray archives = changed.value(QStringLiteral("archives")).toArray();
            QJsonObject a = archives.at(index).toObject();
            a.insert(key, value);
            archives.replace(index, a);
            changed.insert(QStringLiteral("archives"), archives);
            return changed;
        };
        QTest::newRow("a schema no archive holds")
            << editArchive(1, QStringLiteral("schemas"), QJsonArray { QStringLiteral("t_1") });
        QTest::newRow("an archive holding a schema not listed") << editArchive(
            1, QStringLiteral("schemas"),
            QJsonArray { QStringLiteral("t_1"), QStringLiteral("t_2"), QStringLiteral("t_3") });
        QTest::newRow("a schema in two archives")
            << editArchive(0, QStringLiteral("schemas"),
                           QJsonArray { QStringLiteral("public"), QStringLiteral("t_1") });
        QTest::newRow("a path for a file")
            << editArchive(1, QStringLiteral("file"), QStringLiteral("../tenants-01.dump"));
        QTest::newRow("a hidden file")
            << editArchive(1, QStringLiteral("file"), QStringLiteral(".tenants-01.dump"));
        QTest::newRow("two archives in one file")
            << editArchive(1, QStringLiteral("file"), QStringLiteral("public.dump"));
        QTest::newRow("no checksum") << editArchive(0, QStringLiteral("sha256"), QString());
        QJsonObject future = json;
        future.insert(QStringLiteral("format"), BackupManifest::currentFormat + 1);
        QTest::newRow("a newer format") << future;
        QJsonObject twice = json;
        QJsonArray schemas = twice.value(QStringLiteral("schemas")).toArray();
        schemas.append(schemas.at(1));
        twice.insert(QStringLiteral("schemas"), schemas);
        QTest::newRow("a schema listed twice") << twice;
    }

    void aManifestWhoseArchivesDoNotAddUpIsRefused()
    {
        QFETCH(QJsonObject, json);
        QString error;
        QVERIFY(!BackupManifest::fromJson(json, &error));
        QVERIFY(!error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestBackupLayout)
#include "tst_backuplayout.moc"
