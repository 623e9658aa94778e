// core's folders form layers (core/layers.txt): a folder includes only folders below it, so the
// include graph has no cycle. Every include of every core file is checked here, so one that climbs
// fails the test, naming the file, the line and the folders.

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QtTest>

namespace {

const QString coreDir = QStringLiteral(FUELSYNC_SOURCE_DIR "/core");

QStringList layers()
{
    QFile file(coreDir + QStringLiteral("/layers.txt"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QStringList folders;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.isEmpty() || line.startsWith('#') || line.startsWith(' '))
            continue;
        folders.append(QString::fromUtf8(line.split(' ').first()));
    }
    return folders;
}

} // namespace

class TestLayering : public QObject
{
    Q_OBJECT

private slots:
    void everyFolderHasALayer()
    {
        const QStringList declared = layers();
        QVERIFY2(!declared.isEmpty(), "core/layers.txt is missing or empty");
        const QStringList folders =
            QDir(coreDir).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
        for (const QString &folder : folders)
            QVERIFY2(declared.contains(folder),
                     qPrintable(QStringLiteral("core/%1 is not in core/layers.txt").arg(folder)));
        for (const QString &folder : declared)
            QVERIFY2(folders.contains(folder),
                     qPrintable(QStringLiteral("core/layers.txt names %1, which is not a folder "
                                               "of core")
                                    .arg(folder)));
    }

    void noIncludeClimbs()
    {
        const QStringList order = layers();
        static const QRegularExpression include(
            QStringLiteral("^\\s*#\\s*include\\s+\"([A-Za-z_]+)/[^\"]+\""));
        QStringList climbing;
        int checked = 0;
        for (const QString &folder : order) {
            const QDir dir(coreDir + u'/' + folder);
            for (const QString &name : dir.entryList({ QStringLiteral("*.h"), QStringLiteral("*.cpp") },
                                                     QDir::Files)) {
                QFile file(dir.filePath(name));
                QVERIFY(file.open(QIODevice::ReadOnly));
                int lineNumber = 0;
                for (const QByteArray &line : file.readAll().split('\n')) {
                    ++lineNumber;
                    const auto match = include.match(QString::fromUtf8(line));
                    if (!match.hasMatch())
                        continue;
                    ++checked;
                    const QString target = match.captured(1);
                    if (target == folder)
                        continue;
                    if (!order.contains(target) || order.indexOf(target) > order.indexOf(folder))
                        climbing.append(QStringLiteral("core/%1/%2:%3 includes %4/, which is "
                                                       "not below %1 in core/layers.txt")
                                            .arg(folder, name)
                                            .arg(lineNumber)
                                            .arg(target));
                }
            }
        }
        QVERIFY(checked > 100);
        QVERIFY2(climbing.isEmpty(), qPrintable(climbing.join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(TestLayering)
#include "tst_layering.moc"
