// Reports and sessions from the app: after the built-in demo, Export report writes all four
// formats (HTML and PDF checked as a reader gets them); the live session is recorded batch by
// batch; an opened session is shown read-only and exports like a live one.
#include "live_session.h"
#include "model/session_reader.h"
#include "model/session_writer.h"
#include "report_checks.h"
#include "report_documents/html_report.h"
#include "widgets/main_window.h"
#include "widgets/report_export.h"
#include "widgets/session_recorder.h"
#include "widgets/session_viewer.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace socklens;
using namespace socklens::ui;
using socklens::testing::DemoSession;
using socklens::testing::LiveSession;

namespace {

/// Exports as the Export report action does and waits for the result; "" when written.
QString exportReport(const Session& session, const SessionHeader& header,
                     report::ReportFormat format, const QString& path) {
    ReportExport* job = ReportExport::start(session, header, format, path, nullptr);
    QSignalSpy finished(job, &ReportExport::finished);
    if (!finished.wait(120000))
        return QStringLiteral("the export did not finish");
    return finished.front().at(1).toString();
}

TEST(Reports, AfterTheDemoExportWritesAllFourFormats) {
    DemoSession demo;
    ASSERT_TRUE(demo.ran);
    QTemporaryDir dir;
    const SessionHeader header = currentSessionHeader();
    for (const auto format : {report::ReportFormat::Json, report::ReportFormat::Csv,
                              report::ReportFormat::Html, report::ReportFormat::Pdf}) {
        const QString path = dir.filePath(QStringLiteral("report.") +
                                          QString::fromLatin1(report::toString(format).data()));
        ASSERT_EQ(exportReport(demo.session, header, format, path), QString())
            << path.toStdString();
        EXPECT_GT(QFile(path).size(), 1000) << path.toStdString();
    }
    EXPECT_EQ(socklens::testing::problemsOfHtmlReport(dir.filePath(QStringLiteral("report.html")),
                                                      demo.session.state()),
              "");
    EXPECT_EQ(socklens::testing::problemsOfPdfReport(dir.filePath(QStringLiteral("report.pdf"))),
              "");
    QFile csv(dir.filePath(QStringLiteral("report.csv")));
    ASSERT_TRUE(csv.open(QIODevice::ReadOnly));
    EXPECT_EQ(csv.readAll().count("\r\n"), qsizetype(demo.session.journal().entries().size() + 1));
}

TEST(Reports, AFailedExportSaysWhyInASentence) {
    DemoSession demo;
    ASSERT_TRUE(demo.ran);
    const QString error =
        exportReport(demo.session, currentSessionHeader(), report::ReportFormat::Html,
                     QStringLiteral("/nonexistent-folder/report.html"));
    EXPECT_TRUE(error.startsWith(QStringLiteral("cannot write the report /nonexistent-folder/")))
        << error.toStdString();
}

TEST(Sessions, TheRecorderHasEveryBatchOnDiskAsSoonAsItArrives) {
    QTemporaryDir dir;
    LiveSession live;
    SessionRecorder recorder(live.session, dir.path());
    live.engine.spawnHelperWithSocket(QStringLiteral("A"), SocketKind::TcpPair);
    ASSERT_TRUE(live.settle());
    // The recorder is still open: this is what a kill -9 now would leave.
    const LoadedSession loaded = readSessionFile(recorder.path().toStdString());
    EXPECT_TRUE(loaded.complete()) << loaded.error;
    EXPECT_EQ(loaded.entries.size(), live.session.journal().entries().size());
}

TEST(Sessions, AnOpenedSessionIsShownReadOnlyAndExportsLikeALiveOne) {
    QTemporaryDir dir;
    DemoSession demo;
    ASSERT_TRUE(demo.ran);
    const QString path = dir.filePath(QStringLiteral("demo.jsonl"));
    {
        SessionWriter writer(path.toStdString());
        writer.write(demo.session.journal().entries());
    }
    // Cut the last line in half, as a kill -9 while writing would.
    QFile file(path);
    ASSERT_TRUE(file.resize(file.size() - 20));
    const LoadedSession loaded = readSessionFile(path.toStdString());
    ASSERT_FALSE(loaded.complete());

    SessionViewer* viewer = SessionViewer::open(loaded, path);
    MainWindow& window = viewer->window();
    EXPECT_TRUE(window.readOnly());
    EXPECT_TRUE(
        window.windowTitle().startsWith(QStringLiteral("demo.jsonl — recorded session, read-only")))
        << window.windowTitle().toStdString();
    EXPECT_EQ(viewer->session().journal().entries().size(),
              demo.session.journal().entries().size() - 1);
    const QString html = dir.filePath(QStringLiteral("opened.html"));
    ASSERT_EQ(exportReport(viewer->session(), loaded.header, report::ReportFormat::Html, html),
              QString());
    EXPECT_EQ(socklens::testing::problemsOfHtmlReport(html, viewer->session().state()), "");
    QSignalSpy destroyed(viewer, &QObject::destroyed);
    window.close();
    EXPECT_TRUE(destroyed.wait(5000));
}

} // namespace

TEST(Reports, TheHtmlReportListsFailuresAndSaysWhenNoScenarioRan) {
    Journal journal;
    journal.append(entry::ProcessStarted{ProcessId(1), OsPid(100), "a", Platform::Linux, true, {}});
    journal.append(entry::CommandFailed{"set a:7 SO_RCVBUF 4096", "fstat", "EBADF",
                                        "fstat failed: Bad file descriptor (EBADF)"});
    journal.append(entry::ProcessExited{ProcessId(1), "killed by signal 9 (SIGKILL)"});
    const State state = fold(journal.entries());
    const QString html =
        reports::buildReportHtml(report::ReportInput{journal.entries(), state, {}, 0}, {},
                                 [](const auto&) { return QString(); });
    const qsizetype failures = html.indexOf(QStringLiteral("id=\"failures\""));
    ASSERT_GE(failures, 0) << html.toStdString();
    const QString section = html.mid(failures);
    EXPECT_TRUE(section.contains(QStringLiteral("fstat failed: Bad file descriptor")));
    EXPECT_TRUE(section.contains(QStringLiteral("killed by signal 9")));
    // An interactive session ran no scenario: no row of twelve "not-run" claims.
    EXPECT_FALSE(html.contains(QStringLiteral("class=\"not-run\"")));
    EXPECT_TRUE(html.contains(QStringLiteral("No scenario ran in this session")));
}
