// socklens: the desktop app.
#include "version.h"
#include "widgets/application.h"

#include <QApplication>
#include <QCommandLineParser>
#include <cstdio>

int main(int argc, char** argv) {
    if (!socklens::ui::displayAvailable()) {
        std::fputs(
            "socklens: no display (DISPLAY and WAYLAND_DISPLAY are unset); use socklens-cli to run "
            "scenarios without a window, or QT_QPA_PLATFORM=offscreen socklens --screenshot "
            "FILE.png\n",
            stderr);
        return 1;
    }
    QApplication application(argc, argv);
    QApplication::setApplicationName(QStringLiteral("socklens"));
    QApplication::setOrganizationName(QStringLiteral("socklens"));
    QApplication::setApplicationVersion(QString::fromLatin1(socklens::kVersion));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("A live inspector for shared sockets."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(QStringLiteral("demo"),
                                  QStringLiteral("Run the built-in scenario NAME live."),
                                  QStringLiteral("NAME"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral("Render the window to FILE (PNG) once ready, then exit."),
        QStringLiteral("FILE"));
    const QCommandLineOption helper(QStringLiteral("helper"),
                                    QStringLiteral("The socklens-helper to start."),
                                    QStringLiteral("PATH"));
    const QCommandLineOption backend(
        QStringLiteral("backend"),
        QStringLiteral("What the start-up session and --demo start: linux (default) or winsock "
                       "(socklens-helper.exe under Wine)."),
        QStringLiteral("BACKEND"), QStringLiteral("linux"));
    const QCommandLineOption view(
        QStringLiteral("view"),
        QStringLiteral("Show this view below the sockets: timeline, counts, handoff or journal."),
        QStringLiteral("VIEW"));
    const QCommandLineOption replayAt(
        QStringLiteral("replay-at"),
        QStringLiteral("Once ready, show the session as it was after its first N journal entries."),
        QStringLiteral("N"));
    const QCommandLineOption attach(
        QStringLiteral("attach"),
        QStringLiteral("Attach read-only to these processes instead of starting the start-up "
                       "session."),
        QStringLiteral("PID[,PID...]"));
    const QCommandLineOption attachPort(
        QStringLiteral("attach-port"),
        QStringLiteral("Attach read-only to every process holding a socket on port N."),
        QStringLiteral("N"));
    parser.addOptions({demo, screenshot, helper, backend, view, replayAt, attach, attachPort});
    parser.process(application);
    std::vector<std::int64_t> attachPids;
    for (const QString& part : parser.value(attach).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const qlonglong pid = part.trimmed().toLongLong(&ok);
        if (!ok || pid <= 0) {
            std::fprintf(stderr, "socklens: --attach: '%s' is not a process id\n",
                         qPrintable(part));
            return 2;
        }
        attachPids.push_back(pid);
    }
    int port = 0;
    if (parser.isSet(attachPort)) {
        bool ok = false;
        port = parser.value(attachPort).toInt(&ok);
        if (!ok || port <= 0 || port > 65535) {
            std::fprintf(stderr, "socklens: --attach-port: '%s' is not a port (1 to 65535)\n",
                         qPrintable(parser.value(attachPort)));
            return 2;
        }
    }
    const QString backendName = parser.value(backend);
    if (backendName != QLatin1String("linux") && backendName != QLatin1String("winsock")) {
        std::fprintf(stderr, "socklens: unknown backend '%s': choose linux or winsock\n",
                     qPrintable(backendName));
        return 2;
    }
    return socklens::ui::runApplication(
        {parser.value(demo), parser.value(screenshot), parser.value(helper),
         backendName == QLatin1String("winsock") ? socklens::Platform::WinsockWine
                                                 : socklens::Platform::Linux,
         parser.value(view), parser.isSet(replayAt) ? parser.value(replayAt).toInt() : -1,
         std::move(attachPids), port});
}
