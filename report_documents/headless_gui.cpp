#include "report_documents/headless_gui.h"

#include "report_documents/report_writer.h"

#include <cstdio>

namespace socklens::reports {

namespace {

/// Qt's warnings (an unset XDG_RUNTIME_DIR, a font substituted) mean nothing to a CLI user
/// and would mix with its output; errors still reach stderr.
void keepOnlyQtErrors(QtMsgType type, const QMessageLogContext&, const QString& message) {
    if (type == QtCriticalMsg || type == QtFatalMsg)
        std::fprintf(stderr, "socklens-cli: Qt: %s\n", qPrintable(message));
}

} // namespace

HeadlessGui::HeadlessGui(int& argc, char** argv)
    : argc_(argc)
    , argv_(argv) {}

HeadlessGui::~HeadlessGui() = default;

void HeadlessGui::ensureApplication() {
    if (QGuiApplication::instance())
        return;
    // Offscreen whatever the environment says: the CLI never shows anything, and must not
    // fail for want of a display.
    qputenv("QT_QPA_PLATFORM", "offscreen");
    qInstallMessageHandler(keepOnlyQtErrors);
    application_ = std::make_unique<QGuiApplication>(argc_, argv_);
}

cli::ReportWriter HeadlessGui::reportWriter() {
    return [this](report::ReportFormat format, const report::ReportInput& input,
                  const std::string& path) {
        ensureApplication();
        writeReport(format, input, path);
    };
}

} // namespace socklens::reports
