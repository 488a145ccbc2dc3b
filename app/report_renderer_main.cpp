// socklens-report-renderer SESSION html|pdf OUTPUT: draws a session file as an HTML or PDF
// report for socklens-cli, which links no Qt (cli/report_renderer.h). Offscreen whatever the
// environment says: it never shows anything and must not fail for want of a display. Exit 0
// when written; 3, with one sentence on stderr (the CLI shows it), when not; 2 bad usage.
#include "model/session_reader.h"
#include "model/state.h"
#include "report/report_file.h"
#include "report_documents/report_writer.h"

#include <QGuiApplication>
#include <cstdio>

namespace {

/// Qt's warnings (an unset XDG_RUNTIME_DIR, a font substituted) mean nothing to a CLI user;
/// errors still reach stderr.
void keepOnlyQtErrors(QtMsgType type, const QMessageLogContext&, const QString& message) {
    if (type == QtCriticalMsg || type == QtFatalMsg)
        std::fprintf(stderr, "Qt: %s\n", qPrintable(message));
}

} // namespace

int main(int argc, char** argv) {
    using namespace socklens;
    const auto format = argc == 4 ? report::reportFormatFromName(argv[2]) : std::nullopt;
    if (!format || report::coreWrites(*format)) {
        std::fprintf(stderr, "usage: socklens-report-renderer SESSION html|pdf OUTPUT\n");
        return 2;
    }
    qputenv("QT_QPA_PLATFORM", "offscreen");
    qInstallMessageHandler(keepOnlyQtErrors);
    QGuiApplication application(argc, argv);

    const LoadedSession session = readSessionFile(argv[1]);
    if (!session.complete()) { // the CLI wrote it whole: something else broke it
        std::fprintf(stderr, "%s\n", session.error.c_str());
        return 3;
    }
    const State state = fold(session.entries);
    try {
        reports::writeReport(*format, {session.entries, state, session.header, wallClockMicros()},
                             argv[3]);
    } catch (const report::ReportError& error) {
        std::fprintf(stderr, "%s\n", error.what());
        return 3;
    }
    return 0;
}
