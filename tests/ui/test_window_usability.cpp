// The window as people use it: the current pane, option editors by type, a sortable and
// filterable sockets table, help, the scenario picker, status-bar feedback, recent
// sessions and a timeline zoomed to its events — driven through the real widgets.
#include "model/probe_sender.h"
#include "model/session_writer.h"
#include "models/descriptor_mime.h"
#include "models/descriptors_model.h"
#include "models/journal_model.h"
#include "models/null_commands.h"
#include "models/options_matrix_model.h"
#include "models/process_descriptors_proxy.h"
#include "models/registration_timeline.h"
#include "models/sockets_model.h"
#include "models/style_roles.h"
#include "started_window.h"
#include "widgets/main_actions.h"
#include "widgets/main_window.h"
#include "widgets/message_bar.h"
#include "widgets/panes_area.h"
#include "widgets/plot.h"
#include "widgets/process_pane.h"
#include "widgets/replay_banner.h"
#include "widgets/replay_bar.h"
#include "widgets/report_export.h"
#include "widgets/scenario_picker.h"
#include "widgets/session_recorder.h"
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
#include <QStandardPaths>
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

TEST(Panes, AKindCellReadsOnOneLine) {
    StartedWindow live;
    ASSERT_TRUE(live.settled);
    ProcessPane* pane = live.window.panes().pane(live.process("A"));
    ASSERT_NE(pane, nullptr);
    QTableView* view = pane->view();
    ASSERT_GT(view->model()->rowCount(), 0);
    const QFontMetrics metrics(view->font());
    for (int row = 0; row < view->model()->rowCount(); ++row) {
        const QString kind =
            view->model()->index(row, DescriptorsModel::KindColumn).data().toString();
        ASSERT_TRUE(kind.contains(QStringLiteral("no cloexec"))) << kind.toStdString();
        EXPECT_GE(view->columnWidth(DescriptorsModel::KindColumn), metrics.horizontalAdvance(kind))
            << "wrapped: " << kind.toStdString();
    }
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

TEST(ScenarioPicker, ListsBuiltinsInNaturalOrderWithTheirDescriptions) {
    ScenarioPicker picker;
    const QStringList names = picker.names();
    const qsizetype c2 = names.indexOf(QStringLiteral("claim-c2"));
    const qsizetype c12 = names.indexOf(QStringLiteral("claim-c12"));
    ASSERT_GE(c2, 0);
    ASSERT_GE(c12, 0);
    EXPECT_LT(c2, c12) << names.join(u',').toStdString();
    auto* list = picker.findChild<QListWidget*>();
    ASSERT_NE(list, nullptr);
    for (int row = 0; row + 1 < list->count(); ++row) // the last is "A scenario file…"
        EXPECT_TRUE(list->item(row)->text().contains(QStringLiteral(" — ")))
            << list->item(row)->text().toStdString();
    EXPECT_EQ(ScenarioPicker::descriptionOf(QStringLiteral("# Title here\n#\nspawn A\n")),
              QStringLiteral("Title here"));
}

TEST(StatusBar, SaysWhatADragDid) {
    StartedWindow live;
    ASSERT_TRUE(live.settled);
    ProcessPane* paneB = live.window.panes().pane(live.process("B"));
    ASSERT_NE(paneB, nullptr);
    const auto mime = descriptorMime({live.descriptorsOf(live.process("A")).front()});
    ASSERT_TRUE(paneB->proxy()->dropMimeData(mime.get(), Qt::CopyAction, 0, 0, {}));
    ASSERT_TRUE(live.settle());
    const QString said = live.window.statusBar()->currentMessage();
    EXPECT_FALSE(said.isEmpty());
    EXPECT_TRUE(said.contains(QStringLiteral("B"))) << said.toStdString();
}

TEST(RecentSessions, AnOpenedSessionIsOfferedAgain) {
    QTemporaryDir dir;
    StartedWindow live;
    ASSERT_TRUE(live.settled);
    const QString path = dir.filePath(QStringLiteral("again.jsonl"));
    {
        SessionWriter writer(path.toStdString());
        writer.write(live.session.journal().entries());
    }
    live.window.actions().openSession(path);
    EXPECT_EQ(QSettings().value(QStringLiteral("recent/sessions")).toStringList().value(0), path);
    QMenu* recent = nullptr;
    for (QMenu* menu : live.window.findChildren<QMenu*>()) {
        if (menu->title() == QStringLiteral("Recent sess&ions"))
            recent = menu;
    }
    ASSERT_NE(recent, nullptr);
    Q_EMIT recent->aboutToShow();
    ASSERT_FALSE(recent->actions().isEmpty());
    EXPECT_EQ(recent->actions().front()->text(), path);
    for (QWidget* top : QApplication::topLevelWidgets()) {
        if (top->windowTitle().startsWith(QStringLiteral("again.jsonl")))
            top->close();
    }
}

TEST(RegistrationTimelineAxis, ZoomsToTheEventsByDefault) {
    StartedWindow live;
    ASSERT_TRUE(live.settled);
    // Not a synchronisation: the registration must come late in the session, as it does when
    // a user explores for a while before registering.
    QTest::qWait(1500);
    const DescriptorRef conn = live.descriptorsOf(live.process("A")).front();
    live.engine.registerEvents(conn, FdRead);
    ASSERT_TRUE(live.settle());
    live.window.selectSocket(live.session.state().descriptor(conn)->socket);
    ASSERT_TRUE(live.window.showView(QStringLiteral("timeline")));
    auto* timeline = live.window.findChild<QWidget*>(QStringLiteral("timeline"));
    ASSERT_NE(timeline, nullptr);
    auto* plot = timeline->findChild<QCustomPlot*>();
    ASSERT_NE(plot, nullptr);
    const SessionClock clock(live.session.visibleEntries());
    double registeredAt = 0;
    for (const JournalEntry& entry : live.session.journal().entries()) {
        if (std::holds_alternative<entry::RegistrationMade>(entry.payload))
            registeredAt = clock.seconds(entry.timeUs);
    }
    ASSERT_GT(registeredAt, 1.0);
    // Half a second before the first registration, not the whole session from 0.
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            const QCPRange range = plot->xAxis->range();
            return range.lower > 0.5 && range.lower <= registeredAt - 0.4 &&
                   range.upper >= registeredAt;
        },
        3000))
        << "axis from " << plot->xAxis->range().lower << " s, registration at " << registeredAt
        << " s";
}

} // namespace

namespace {

TEST(SessionRecorderFolder, IsTheOneTheReadmeNames) {
    const QString expected = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
                             QStringLiteral("/socklens/sessions");
    EXPECT_EQ(SessionRecorder::defaultFolder(),
              expected); // README: ~/.local/share/socklens/sessions/
}

} // namespace
