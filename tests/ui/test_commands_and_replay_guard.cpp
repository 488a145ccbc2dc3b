// The GUI's typed commands (NullCommands for recordings, no broker thread behind them), the
// probe's peer choice in core, and the guard that keeps replay and recordings read-only:
// actions disabled with a sentence, cells not editable, drops refused, a banner shown.
#include "live_session.h"
#include "model/probe_sender.h"
#include "model/session_writer.h"
#include "models/descriptor_mime.h"
#include "models/journal_model.h"
#include "models/null_commands.h"
#include "models/options_matrix_model.h"
#include "models/process_descriptors_proxy.h"
#include "models/sockets_model.h"
#include "models/style_roles.h"
#include "widgets/main_window.h"
#include "widgets/message_bar.h"
#include "widgets/panes_area.h"
#include "widgets/process_pane.h"
#include "widgets/replay_banner.h"
#include "widgets/replay_bar.h"
#include "widgets/report_export.h"
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
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
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

namespace {

/// Two helpers, a TCP pair in A, shown in a main window.
struct StartedWindow : LiveSession {
    StartedWindow() {
        engine.spawnHelperWithSocket(QStringLiteral("A"), SocketKind::TcpPair);
        engine.spawnHelper(QStringLiteral("B"), Platform::Linux);
        settled = settle() && descriptorsOf(process("A")).size() == 2;
        window.show();
    }
    QAction* action(const QString& text) {
        for (QAction* a : window.findChildren<QAction*>()) {
            if (a->text() == text)
                return a;
        }
        return nullptr;
    }
    /// Clicks the first row of process `name`'s pane with the real mouse events.
    bool clickFirstRow(const std::string& name) {
        ProcessPane* pane = window.panes().pane(process(name));
        if (!pane || pane->proxy()->rowCount() == 0)
            return false;
        QTableView* view = pane->view();
        const QRect cell = view->visualRect(pane->proxy()->index(0, 0));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, cell.center());
        return true;
    }
    int threads() const { return int(QDir(QStringLiteral("/proc/self/task")).count()) - 2; }

    MainWindow window{session, engine};
    bool settled = false;
};

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

} // namespace

namespace {

/// The first cell of `option`'s column in the options matrix of the window's socket.
QModelIndex cellOf(OptionsMatrixModel& options, SocketOption option) {
    for (int column = 0; column < options.columnCount(); ++column) {
        if (options.optionAt(column) == option)
            return options.index(0, column);
    }
    return {};
}

TEST(OptionEditors, RefuseTextAndOutOfRangeWithASentenceAndSetNothing) {
    StartedWindow live;
    ASSERT_TRUE(live.settled);
    OptionsMatrixModel& options = live.window.optionsMatrix();
    ASSERT_GT(options.rowCount(), 0);
    const std::size_t before = live.session.journal().entries().size();
    QSignalSpy refused(&options, &OptionsMatrixModel::refused);
    EXPECT_FALSE(options.setData(cellOf(options, SocketOption::RcvBuf), QStringLiteral("big"),
                                 Qt::EditRole));
    EXPECT_FALSE(options.setData(cellOf(options, SocketOption::IpTtl), -5, Qt::EditRole));
    EXPECT_FALSE(options.setData(cellOf(options, SocketOption::IpTtl), 300, Qt::EditRole));
    ASSERT_EQ(refused.size(), 3);
    EXPECT_TRUE(refused[0].front().toString().contains(QStringLiteral("not a number")));
    EXPECT_TRUE(refused[1].front().toString().contains(QStringLiteral("1 to 255 hops")))
        << refused[1].front().toString().toStdString();
    EXPECT_TRUE(live.window.messageBar().text().contains(QStringLiteral("IP_TTL")));
    ASSERT_TRUE(live.settle());
    for (std::size_t k = before; k < live.session.journal().entries().size(); ++k)
        EXPECT_FALSE(std::holds_alternative<entry::CommandIssued>(
            live.session.journal().entries()[k].payload))
            << "a refused value reached the broker";
}

TEST(OptionEditors, AreAChoiceForOnOffAndASpinBoxInTheOsRangeForSizes) {
    StartedWindow live;
    ASSERT_TRUE(live.settled);
    auto* view = live.window.findChild<QTableView*>(QStringLiteral("optionsMatrix"));
    ASSERT_NE(view, nullptr);
    OptionsMatrixModel& options = live.window.optionsMatrix();
    ASSERT_GT(options.rowCount(), 0);
    const QModelIndex noDelay = cellOf(options, SocketOption::TcpNoDelay);
    view->setCurrentIndex(noDelay);
    view->edit(noDelay);
    auto* choice = view->findChild<QComboBox*>();
    ASSERT_NE(choice, nullptr);
    EXPECT_EQ(choice->count(), 2);
    view->closePersistentEditor(noDelay);
    QTest::keyClick(view, Qt::Key_Escape);

    const QModelIndex rcvbuf = cellOf(options, SocketOption::RcvBuf);
    view->setCurrentIndex(rcvbuf);
    view->edit(rcvbuf);
    auto* number = view->findChild<QSpinBox*>();
    ASSERT_NE(number, nullptr);
    QFile rmemMax(QStringLiteral("/proc/sys/net/core/rmem_max"));
    ASSERT_TRUE(rmemMax.open(QIODevice::ReadOnly));
    EXPECT_EQ(number->maximum(), rmemMax.readAll().trimmed().toInt());
    EXPECT_EQ(number->minimum(), 1);
    // Typed text never enters the box: the spin box keeps its number.
    number->selectAll();
    QTest::keyClicks(number, QStringLiteral("abc"));
    EXPECT_GE(number->value(), 1);
    // A real value: the kernel doubles SO_RCVBUF, and the cell says so.
    number->setValue(6000);
    QTest::keyClick(number, Qt::Key_Return);
    ASSERT_TRUE(live.settle());
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            return options.data(rcvbuf, Qt::DisplayRole)
                .toString()
                .contains(QStringLiteral("doubled by the kernel"));
        },
        5000))
        << options.data(rcvbuf, Qt::DisplayRole).toString().toStdString();
}

} // namespace

namespace {

TEST(Panes, AClickOnEmptySpaceMakesThePaneCurrentAndNewSocketsGoThere) {
    StartedWindow live;
    ASSERT_TRUE(live.settled);
    ProcessPane* paneA = live.window.panes().pane(live.process("A"));
    ProcessPane* paneB = live.window.panes().pane(live.process("B"));
    ASSERT_TRUE(paneA && paneB);
    ASSERT_TRUE(live.clickFirstRow("A"));
    EXPECT_TRUE(paneA->isCurrent());
    EXPECT_FALSE(paneB->isCurrent());
    // B has no rows: a click on its empty list makes it current all the same.
    QTest::mouseClick(paneB->view()->viewport(), Qt::LeftButton, {}, QPoint(20, 20));
    EXPECT_TRUE(paneB->isCurrent());
    EXPECT_FALSE(paneA->isCurrent());
    EXPECT_EQ(live.window.currentProcess(), live.process("B"));
    live.action(QStringLiteral("&UDP socket"))->trigger();
    ASSERT_TRUE(live.settle());
    EXPECT_EQ(live.descriptorsOf(live.process("B")).size(), 1u);
    EXPECT_EQ(live.descriptorsOf(live.process("A")).size(), 2u);
}

TEST(Panes, AnEmptyPaneHasAContextMenu) {
    StartedWindow live;
    ASSERT_TRUE(live.settled);
    ProcessPane* paneB = live.window.panes().pane(live.process("B"));
    ASSERT_NE(paneB, nullptr);
    QStringList offered;
    QTimer::singleShot(0, [&] {
        if (auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget())) {
            for (QAction* a : menu->actions())
                offered << a->text();
            menu->close();
        }
    });
    Q_EMIT paneB->view()->customContextMenuRequested(QPoint(20, 20));
    EXPECT_TRUE(offered.contains(QStringLiteral("&New socket here")))
        << offered.join(u',').toStdString();
    EXPECT_TRUE(offered.contains(QStringLiteral("&Kill helper (kill -9)…")));
    EXPECT_TRUE(offered.contains(QStringLiteral("&Hide pane")));
}

} // namespace

namespace {

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

namespace {

TEST(Help, ListsEveryShortcutAndShowsTheShippedUserGuide) {
    StartedWindow live;
    ASSERT_TRUE(live.settled);
    live.action(QStringLiteral("&Keyboard shortcuts"))->trigger();
    auto* table = live.window.findChild<QTableWidget*>(QStringLiteral("shortcutsTable"));
    ASSERT_NE(table, nullptr);
    QStringList listed;
    for (int row = 0; row < table->rowCount(); ++row)
        listed << table->item(row, 0)->text() + u'=' + table->item(row, 1)->text();
    EXPECT_TRUE(listed.contains(QStringLiteral("Close descriptor=Del")))
        << listed.join(u',').toStdString();
    EXPECT_TRUE(listed.contains(QStringLiteral("Probe: the peer sends a byte=Ctrl+P")));

    live.action(QStringLiteral("&User guide"))->trigger();
    auto* guide = live.window.findChild<QTextBrowser*>(QStringLiteral("userGuide"));
    ASSERT_NE(guide, nullptr);
    EXPECT_TRUE(guide->toPlainText().contains(QStringLiteral("Replay: looking at the past")));
}

} // namespace

namespace {

TEST(SocketsTable, SortsNumbersAsNumbersAndFiltersByAnyColumn) {
    StartedWindow live;
    ASSERT_TRUE(live.settled);
    for (int k = 0; k < 5; ++k) // S3..S12: enough for S10 to sort after S9
        live.engine.createSocket(live.process("B"), SocketKind::TcpPair);
    live.engine.createSocket(live.process("B"), SocketKind::Udp);
    ASSERT_TRUE(live.settle());
    auto* view = live.window.findChild<QTableView*>(QStringLiteral("socketsTable"));
    ASSERT_NE(view, nullptr);
    QAbstractItemModel* shown = view->model();
    new QAbstractItemModelTester(shown, QAbstractItemModelTester::FailureReportingMode::Fatal,
                                 shown);
    ASSERT_GE(shown->rowCount(), 12);
    // A click on the Socket header sorts descending now: S13 first, S1 last, by number.
    QTest::mouseClick(view->horizontalHeader()->viewport(), Qt::LeftButton, {},
                      QPoint(view->horizontalHeader()->sectionViewportPosition(0) + 10, 5));
    std::vector<uint> order;
    for (int row = 0; row < shown->rowCount(); ++row)
        order.push_back(shown->index(row, 0).data(SocketsModel::SocketRole).toUInt());
    EXPECT_TRUE(std::is_sorted(order.rbegin(), order.rend())) << order.front() << " first";

    auto* filter = live.window.findChild<QLineEdit*>(QStringLiteral("socketsFilter"));
    ASSERT_NE(filter, nullptr);
    QTest::keyClicks(filter, QStringLiteral("udp"));
    ASSERT_EQ(shown->rowCount(), 1);
    EXPECT_TRUE(shown->index(0, SocketsModel::KindColumn)
                    .data()
                    .toString()
                    .contains(QStringLiteral("UDP"), Qt::CaseInsensitive));
}

} // namespace
