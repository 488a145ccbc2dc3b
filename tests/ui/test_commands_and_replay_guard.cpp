// The GUI's typed commands (NullCommands for recordings, no broker thread behind them), the
// probe's peer choice in core, and the guard that keeps replay and recordings read-only:
// actions disabled with a sentence, cells not editable, drops refused, a banner shown.
#include "model/probe_sender.h"
#include "model/session_writer.h"
#include "models/descriptor_mime.h"
#include "models/journal_model.h"
#include "models/null_commands.h"
#include "models/options_matrix_model.h"
#include "models/process_descriptors_proxy.h"
#include "models/registration_timeline.h"
#include "models/sockets_model.h"
#include "models/style_roles.h"
#include "started_window.h"
#include "widgets/main_window.h"
#include "widgets/message_bar.h"
#include "widgets/panes_area.h"
#include "widgets/plot.h"
#include "widgets/process_pane.h"
#include "widgets/replay_banner.h"
#include "widgets/replay_bar.h"
#include "widgets/report_export.h"
#include "widgets/scenario_picker.h"
#include "widgets/session_viewer.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTimer>
#include <gtest/gtest.h>

using namespace socklens;
using namespace socklens::ui;
using socklens::testing::LiveSession;
using socklens::testing::StartedWindow;

namespace {

TEST(NullCommands, RefuseEveryCommandWithASentence) {
    NullCommands commands;
    QSignalSpy refused(&commands, &Commands::refused);
    const DescriptorRef ref{ProcessId(1), Handle(3)};
    commands.spawnHelper(QStringLiteral("A"), Platform::Linux);
    commands.spawnHelperWithSocket(QStringLiteral("A"), SocketKind::Udp);
    commands.createSocket(ProcessId(1), SocketKind::Udp);
    commands.duplicate(ref, ProcessId(2));
    commands.handOff(ref, ProcessId(2));
    commands.setOption(ref, SocketOption::RcvBuf, 4096);
    commands.registerEvents(ref, FdRead);
    commands.send(ref, "x");
    commands.receive(ref);
    commands.close(ref);
    commands.killHelper(ProcessId(1));
    commands.probe(SocketId(1));
    commands.runScenario(scenario::Scenario{});
    ASSERT_EQ(refused.size(), 13);
    for (const QList<QVariant>& call : refused)
        EXPECT_TRUE(call.front().toString().contains(QStringLiteral("recorded session")));
    EXPECT_TRUE(commands.refusal().has_value());
}

TEST(ProbeSender, IsThePeersDescriptorAndSaysWhyWhenThereIsNone) {
    LiveSession live;
    live.engine.spawnHelperWithSocket(QStringLiteral("A"), SocketKind::TcpPair);
    ASSERT_TRUE(live.settle());
    const ProcessId a = live.process("A");
    const std::vector<DescriptorRef> pair = live.descriptorsOf(a);
    ASSERT_EQ(pair.size(), 2u);
    const State& state = live.session.state();
    const ProbeSender sender = probeSenderFor(state, state.descriptor(pair[0])->socket);
    ASSERT_TRUE(sender.descriptor) << sender.whyNot;
    EXPECT_EQ(*sender.descriptor, pair[1]); // the other end of the connection

    live.engine.createSocket(a, SocketKind::Udp);
    ASSERT_TRUE(live.settle());
    DescriptorRef udp;
    for (const DescriptorRef& ref : live.descriptorsOf(a)) {
        if (ref != pair[0] && ref != pair[1])
            udp = ref;
    }
    ASSERT_TRUE(udp.process.valid());
    const ProbeSender none =
        probeSenderFor(live.session.state(), live.session.state().descriptor(udp)->socket);
    EXPECT_FALSE(none.descriptor);
    EXPECT_TRUE(none.whyNot.find("no peer") != std::string::npos) << none.whyNot;
}

TEST(SessionViewer, StartsNoThreadAndRefusesCommandsInTheMessageBar) {
    QTemporaryDir dir;
    StartedWindow live;
    ASSERT_TRUE(live.settled);
    const QString path = dir.filePath(QStringLiteral("recorded.jsonl"));
    {
        SessionWriter writer(path.toStdString());
        writer.write(live.session.journal().entries());
    }
    const int before = live.threads();
    SessionViewer* viewer = SessionViewer::open(readSessionFile(path.toStdString()), path);
    MainWindow& window = viewer->window();
    EXPECT_EQ(live.threads(), before) << "a recording needs no broker thread";
    EXPECT_TRUE(window.windowTitle().startsWith(QStringLiteral("recorded.jsonl")));
    EXPECT_TRUE(window.replayBar().positionText().startsWith(
        QStringLiteral("recorded: %1 entries").arg(live.session.journal().entries().size())))
        << window.replayBar().positionText().toStdString();
    // Actions are disabled and say why; the commands refuse even when reached directly.
    for (QAction* a : window.findChildren<QAction*>()) {
        if (a->text() == QStringLiteral("&Close descriptor")) {
            EXPECT_FALSE(a->isEnabled());
            EXPECT_TRUE(a->toolTip().contains(QStringLiteral("recorded session")));
        }
    }
    window.commands().killHelper(ProcessId(1));
    EXPECT_TRUE(window.messageBar().text().contains(QStringLiteral("recorded session")));
    // Ctrl+W closes the recording's window.
    QSignalSpy destroyed(viewer, &QObject::destroyed);
    window.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&window));
    QTest::keyClick(&window, Qt::Key_W, Qt::ControlModifier);
    EXPECT_TRUE(destroyed.wait(5000));
}

TEST(ActionState, FollowsTheSelectionFromTheFirstClick) {
    StartedWindow live;
    ASSERT_TRUE(live.settled);
    QAction* close = live.action(QStringLiteral("&Close descriptor"));
    QAction* send = live.action(QStringLiteral("&Send…"));
    ASSERT_TRUE(close && send);
    ASSERT_TRUE(live.clickFirstRow("A"));
    // No session change in between: the click alone enables them.
    EXPECT_TRUE(close->isEnabled()) << close->toolTip().toStdString();
    EXPECT_TRUE(send->isEnabled());
}

TEST(ReplayGuard, EveryViewIsReadOnlyInThePastAndLiveAgainAfter) {
    StartedWindow live;
    ASSERT_TRUE(live.settled);
    ASSERT_TRUE(live.clickFirstRow("A"));
    QAction* close = live.action(QStringLiteral("&Close descriptor"));
    ASSERT_TRUE(close && close->isEnabled());
    OptionsMatrixModel& options = live.window.optionsMatrix();
    ASSERT_GT(options.rowCount(), 0);
    EXPECT_TRUE(options.flags(options.index(0, 0)).testFlag(Qt::ItemIsEditable));
    EXPECT_FALSE(live.window.replayBanner().isVisible());
    ProcessPane* paneB = live.window.panes().pane(live.process("B"));
    ASSERT_NE(paneB, nullptr);
    const auto mime = descriptorMime({live.descriptorsOf(live.process("A")).front()});

    live.session.replayTo(int(live.session.journal().entries().size()) - 1);
    EXPECT_TRUE(live.window.replayBanner().isVisible());
    EXPECT_TRUE(live.window.replayBanner().text().contains(QStringLiteral("past")));
    EXPECT_FALSE(close->isEnabled());
    EXPECT_TRUE(close->toolTip().contains(QStringLiteral("go live")))
        << close->toolTip().toStdString();
    ASSERT_GT(options.rowCount(), 0);
    EXPECT_FALSE(options.flags(options.index(0, 0)).testFlag(Qt::ItemIsEditable));
    EXPECT_FALSE(options.setData(options.index(0, 0), 9000, Qt::EditRole));
    EXPECT_FALSE(paneB->proxy()->canDropMimeData(mime.get(), Qt::CopyAction, 0, 0, {}));
    EXPECT_FALSE(paneB->proxy()->dropMimeData(mime.get(), Qt::CopyAction, 0, 0, {}));

    // The banner's button goes live; everything is commandable again.
    QTest::mouseClick(live.window.replayBanner().findChild<QPushButton*>(), Qt::LeftButton);
    EXPECT_FALSE(live.session.replaying());
    EXPECT_FALSE(live.window.replayBanner().isVisible());
    EXPECT_TRUE(close->isEnabled());
    EXPECT_TRUE(options.flags(options.index(0, 0)).testFlag(Qt::ItemIsEditable));
    EXPECT_TRUE(paneB->proxy()->canDropMimeData(mime.get(), Qt::CopyAction, 0, 0, {}));
}

TEST(KillHelper, AsksNamingTheProcessAndCancelKeepsItAlive) {
    StartedWindow live;
    ASSERT_TRUE(live.settled);
    ASSERT_TRUE(live.clickFirstRow("A"));
    const ProcessState* a = live.session.state().process(live.process("A"));
    ASSERT_NE(a, nullptr);
    QString asked;
    QTimer::singleShot(0, [&] {
        // The question is modal: answer it as a user would, with Escape.
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (box) {
            asked = box->text();
            box->reject();
        }
    });
    live.action(QStringLiteral("&Kill helper (kill -9)…"))->trigger();
    EXPECT_TRUE(asked.contains(QStringLiteral("A (pid %1)").arg(a->pid.value())))
        << asked.toStdString();
    ASSERT_TRUE(live.settle());
    EXPECT_TRUE(live.session.state().process(live.process("A"))->alive);
}

TEST(JournalInReplay, GreysWhatComesAfterTheReplayPointAndDoubleClickSeeks) {
    StartedWindow live;
    ASSERT_TRUE(live.settled);
    auto* journal = live.window.findChild<QWidget*>(QStringLiteral("journal"));
    ASSERT_NE(journal, nullptr);
    auto* view = journal->findChild<QTableView*>();
    ASSERT_NE(view, nullptr);
    QAbstractItemModel* rows = view->model();
    new QAbstractItemModelTester(rows, QAbstractItemModelTester::FailureReportingMode::Fatal, rows);
    ASSERT_TRUE(live.window.showView(QStringLiteral("journal")));
    ASSERT_GT(rows->rowCount(), 4);
    EXPECT_FALSE(rows->index(3, 0).data(DimmedRole).toBool());

    // A real double-click on the third row: the views show the session after entry 3.
    view->scrollTo(rows->index(2, 0));
    const QPoint at = view->visualRect(rows->index(2, 0)).center();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, at);
    ASSERT_TRUE(live.session.replaying());
    EXPECT_EQ(live.session.visibleEntries().size(), 3u);
    EXPECT_FALSE(rows->index(2, 0).data(DimmedRole).toBool());
    EXPECT_TRUE(rows->index(3, 0).data(DimmedRole).toBool());
    live.session.returnToLive();
    EXPECT_FALSE(rows->index(3, 0).data(DimmedRole).toBool());
}

TEST(JournalInReplay, AFailedCommandIsColoured) {
    StartedWindow live;
    ASSERT_TRUE(live.settled);
    live.engine.close(DescriptorRef{live.process("A"), Handle(999)}); // EBADF
    ASSERT_TRUE(live.settle());
    JournalModel model(live.session);
    bool coloured = false;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex index = model.index(row, 0);
        coloured = coloured || index.data(AlarmRole).toBool();
    }
    EXPECT_TRUE(coloured);
}

TEST(ReportInReplay, IsMadeOfTheEntriesShownAndTheirState) {
    StartedWindow live;
    ASSERT_TRUE(live.settled);
    const int point = 5;
    live.session.replayTo(point);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("replay.json"));
    ReportExport* job = ReportExport::start(live.session, currentSessionHeader(),
                                            report::ReportFormat::Json, path, nullptr);
    QSignalSpy finished(job, &ReportExport::finished);
    ASSERT_TRUE(finished.wait(60000));
    ASSERT_EQ(finished.front().at(1).toString(), QString());
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QJsonObject report = QJsonDocument::fromJson(file.readAll()).object();
    EXPECT_EQ(report.value(QStringLiteral("journal_entries")).toInt(), point);
    EXPECT_EQ(report.value(QStringLiteral("processes")).toArray().size(),
              qsizetype(live.session.state().processes.size()));
}

} // namespace
