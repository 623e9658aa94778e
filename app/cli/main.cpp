#include "FuelsyncDb.h"
#include "Terminal.h"
#include "db/ExitStatus.h"
#include "fuelsync_version.h"

#include <QCoreApplication>
#include <QLocale>
#include <QTextStream>
#include <QTranslator>

using namespace fuelsync;
using namespace fuelsync::cli;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("fuelsync-admin"));
    QCoreApplication::setOrganizationName(QStringLiteral("FuelSync"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FUELSYNC_VERSION));

    // The user's language if there is a translation, else English, whose file gives the plural
    // forms of "%n schemas" messages.
    QTranslator translator;
    if (translator.load(QLocale(), QStringLiteral("fuelsync"), QStringLiteral("_"),
                        QStringLiteral(":/i18n"))
        || translator.load(QStringLiteral(":/i18n/fuelsync_en.qm")))
        QCoreApplication::installTranslator(&translator);

    QTextStream out(stdout);
    QTextStream err(stderr);
    // Every argument is used exactly as given: one that does not come back the same from its
    // decoding (bytes that are not text, a byte-order mark the decoder drops) is refused rather
    // than quietly altered, say into another schema name.
    for (int i = 1; i < argc; ++i) {
        const QByteArray raw(argv[i]);
        if (raw.startsWith("\xEF\xBB\xBF") || QString::fromLocal8Bit(raw).toLocal8Bit() != raw) {
            err << "fuelsync-db: "
                << QCoreApplication::translate("fuelsync-db",
                                               "argument %1 is not plain text in the terminal's "
                                               "encoding (a byte-order mark, or bytes that are not "
                                               "characters), so it would not be used as given: "
                                               "type it again")
                       .arg(i)
                << Qt::endl;
            return ExitStatus::Usage;
        }
    }
    QStringList arguments = QCoreApplication::arguments();
    arguments.removeFirst();
    return FuelsyncDb::run(arguments,
                           CliConsole { out, err, Terminal::stdinIsTerminal(),
                                        Terminal::stderrIsTerminal(),
                                        QCoreApplication::applicationFilePath() });
}
