#include "widgets/report_export.h"

#include "models/session.h"
#include "report_documents/report_writer.h"

#include <QPointer>
#include <QProgressDialog>
#include <QThread>
#include <memory>

namespace socklens::ui {

namespace {

/// What the worker thread reads: its own copy, never the GUI's session.
struct Snapshot {
    std::vector<JournalEntry> journal;
    State state;
    SessionHeader header;
};

} // namespace

ReportExport::ReportExport(QWidget* dialogParent)
    : QObject(dialogParent) {}

ReportExport* ReportExport::start(const Session& session, const SessionHeader& header,
                                  report::ReportFormat format, const QString& path,
                                  QWidget* dialogParent) {
    auto* job = new ReportExport(dialogParent);
    // One consistent pair: in replay, the entries up to the replay point and the state they
    // fold to — what the views show — never the whole journal with an earlier state.
    const std::span<const JournalEntry> shown = session.visibleEntries();
    auto snapshot = std::make_shared<const Snapshot>(
        Snapshot{std::vector<JournalEntry>(shown.begin(), shown.end()), session.state(), header});
    auto* progress = new QProgressDialog(tr("Writing the report to %1…").arg(path), QString(), 0,
                                         100, dialogParent);
    progress->setWindowTitle(tr("Export report"));
    progress->setMinimumDuration(400); // short sessions finish before it would show
    progress->setAutoClose(false);
    progress->setValue(0);
    const QPointer<QProgressDialog> dialog(progress);
    auto error = std::make_shared<QString>();
    QThread* thread = QThread::create([snapshot, format, path, error, dialog] {
        const report::ReportInput input{snapshot->journal, snapshot->state, snapshot->header,
                                        wallClockMicros()};
        try {
            reports::writeReport(
                format, input, path.toStdString(), [dialog](std::size_t done, std::size_t total) {
                    const int percent = int(done * 100 / std::max<std::size_t>(total, 1));
                    // Queued to the dialog's (GUI) thread; dropped if it is gone.
                    if (QProgressDialog* target = dialog.data())
                        QMetaObject::invokeMethod(
                            target, [target, percent] { target->setValue(std::min(percent, 99)); });
                });
        } catch (const std::exception& failure) {
            *error = QString::fromStdString(failure.what());
        }
    });
    connect(thread, &QThread::finished, job, [job, thread, progress, error, path] {
        thread->deleteLater();
        progress->deleteLater();
        Q_EMIT job->finished(path, *error);
        job->deleteLater();
    });
    thread->start();
    return job;
}

} // namespace socklens::ui
