// MainActions' work with files: scenarios to run, the session's recording, sessions opened
// and saved, reports exported.
#include "model/session_reader.h"
#include "model/session_writer.h"
#include "models/commands.h"
#include "models/session.h"
#include "models/text.h"
#include "scenario/builtin_scenarios.h"
#include "widgets/main_actions.h"
#include "widgets/main_window.h"
#include "widgets/message_bar.h"
#include "widgets/report_export.h"
#include "widgets/scenario_picker.h"
#include "widgets/session_recorder.h"
#include "widgets/session_viewer.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QMenu>
#include <QSettings>
#include <QStatusBar>

namespace socklens::ui {

void MainActions::runScenarioDialog() {
    ScenarioPicker picker(&window_);
    if (picker.exec() != QDialog::Accepted)
        return;
    QString choice = picker.chosen();
    if (choice.isEmpty()) { // a file
        // Installed, the built-ins are also files to start from (/usr/share/socklens).
        const QDir installed(QCoreApplication::applicationDirPath() +
                             QStringLiteral("/../share/socklens/scenarios"));
        choice =
            QFileDialog::getOpenFileName(&window_, tr("Run scenario"),
                                         installed.exists() ? installed.canonicalPath() : QString(),
                                         tr("Scenarios (*.scenario);;All files (*)"));
        if (choice.isEmpty())
            return;
    }
    try {
        window_.commands().runScenario(scenario::loadScenario(choice.toStdString()));
    } catch (const scenario::ScenarioError& error) {
        window_.messageBar().showError(QString::fromStdString(error.what()));
    }
}

void MainActions::setReadOnly(const SessionHeader& header) {
    readOnly_ = true;
    header_ = header;
    tickMenu_->setEnabled(false); // nothing is observed in a recording
    refreshEnabled();
}

QString MainActions::recordingPath() const {
    return recorder_ ? recorder_->path() : QString();
}

void MainActions::startRecording() {
    if (readOnly_ || recordingTried_)
        return;
    recordingTried_ = true; // one failure is reported once, not at every batch
    try {
        recorder_ = new SessionRecorder(window_.session(), SessionRecorder::defaultFolder(), this);
    } catch (const std::exception& error) {
        window_.messageBar().showError(
            tr("The session is not being recorded: %1").arg(QString::fromStdString(error.what())));
        return;
    }
    connect(recorder_, &SessionRecorder::failed, &window_.messageBar(), &MessageBar::showError);
}

void MainActions::openSessionDialog() {
    const QString path =
        QFileDialog::getOpenFileName(&window_, tr("Open session"), SessionRecorder::defaultFolder(),
                                     tr("socklens sessions (*.jsonl);;All files (*)"));
    if (!path.isEmpty())
        openSession(path);
}

void MainActions::openSession(const QString& path) {
    const LoadedSession loaded = readSessionFile(path.toStdString());
    if (loaded.entries.empty() && !loaded.complete()) {
        window_.messageBar().showError(QString::fromStdString(loaded.error));
        return;
    }
    QStringList recent = QSettings().value(QStringLiteral("recent/sessions")).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    QSettings().setValue(QStringLiteral("recent/sessions"), recent.mid(0, 8));
    // Its own window, offset from this one, so the two are never mistaken for each other.
    SessionViewer* viewer = SessionViewer::open(loaded, path);
    viewer->window().move(window_.pos() + QPoint(48, 48));
}

void MainActions::saveSessionDialog() {
    const QString path =
        QFileDialog::getSaveFileName(&window_, tr("Save session"), QStringLiteral("session.jsonl"),
                                     tr("socklens sessions (*.jsonl)"));
    if (path.isEmpty())
        return;
    try {
        SessionWriter writer(path.toStdString(), header_);
        writer.write(window_.session().journal().entries());
        window_.statusBar()->showMessage(tr("Session saved to %1").arg(path), 5000);
    } catch (const std::exception& error) {
        window_.messageBar().showError(QString::fromStdString(error.what()));
    }
}

void MainActions::exportReportDialog() {
    // One filter per format (the format table's), PDF offered first; the chosen filter
    // decides when the name has no known extension.
    std::vector<report::ReportFormat> formats;
    QStringList filters;
    QString chosen;
    for (const report::ReportFormatTraits& traits : report::allReportFormats()) {
        const QString filter =
            QStringLiteral("%1 (*.%2)").arg(qs(traits.description), qs(traits.name));
        formats.push_back(traits.format);
        filters << filter;
        if (traits.format == report::ReportFormat::Pdf)
            chosen = filter;
    }
    QString path = QFileDialog::getSaveFileName(&window_, tr("Export report"),
                                                QStringLiteral("socklens-report.pdf"),
                                                filters.join(QStringLiteral(";;")), &chosen);
    if (path.isEmpty())
        return;
    auto format = report::reportFormatFromPath(path.toStdString());
    if (!format) {
        const qsizetype index = filters.indexOf(chosen);
        format = formats[std::size_t(index < 0 ? 0 : index)];
        path += QLatin1Char('.') + qs(report::toString(*format));
    }
    ReportExport* job = ReportExport::start(window_.session(), header_, *format, path, &window_);
    connect(job, &ReportExport::finished, this,
            [this](const QString& written, const QString& error) {
                if (error.isEmpty())
                    window_.statusBar()->showMessage(tr("Report written to %1").arg(written), 8000);
                else
                    window_.messageBar().showError(error);
            });
}

} // namespace socklens::ui
