// Tables as people expect: right-click menus on sockets and journal rows, the socket
// Properties and process details dialogs, a column chooser on the headers, journal columns
// wide enough for their text, and the timeline's marks leading to their journal entries.
#include "models/details.h"
#include "models/journal_model.h"
#include "models/process_descriptors_proxy.h"
#include "models/sockets_model.h"
#include "started_window.h"
#include "widgets/details_dialog.h"
#include "widgets/journal_view.h"
#include "widgets/registration_timeline_plot.h"
#include "widgets/table_menus.h"

#include <QApplication>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QSettings>
#include <QTableWidget>
#include <QTimer>
#include <gtest/gtest.h>
#include <pwd.h>
#include <unistd.h>

using namespace socklens;
using namespace socklens::ui;
using socklens::testing::StartedWindow;

namespace {

const DetailSection* sectionOf(const DetailSheet& sheet, const QString& title) {
    for (const DetailSection& section : sheet) {
        if (section.title == title)
            return &section;
    }
    return nullptr;
}

/// The value of row `what` of a two-column section.
QString valueOf(const DetailSection& section, const QString& what) {
    for (const QStringList& row : section.rows) {
        if (row.value(0) == what)
            return row.value(1);
    }
    return {};
}

bool hasRow(const DetailSection& section, const QStringList& start) {
    return std::any_of(section.rows.begin(), section.rows.end(),
                       [&](const QStringList& row) { return row.mid(0, start.size()) == start; });
}

/// The texts of the menu that `open` pops up (closed again at once).
QStringList menuOffered(const std::function<void()>& open) {
    QStringList offered;
    QTimer::singleShot(0, [&] {
        if (auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget())) {
            for (QAction* a : menu->actions()) {
                if (!a->isSeparator())
                    offered << a->text();
            }
            menu->close();
        }
    });
    open();
    return offered;
}

/// A's client end, duplicated into B, registered for FD_READ through both.
struct SharedSocket : StartedWindow {
    SharedSocket() {
        if (!settled)
            return;
        inA = descriptorsOf(process("A")).front();
        socket = session.state().descriptor(inA)->socket;
        engine.duplicate(inA, process("B"));
        engine.registerEvents(inA, FdRead);
        settled = settle() && descriptorsOf(process("B")).size() == 1;
        if (settled) {
            engine.registerEvents(descriptorsOf(process("B")).front(), FdRead);
            settled = settle();
        }
    }
    QString name(const std::string& process) const {
        return QStringLiteral("%1 (pid %2)")
            .arg(QString::fromStdString(process))
            .arg(session.state().process(this->process(process))->pid.value());
    }
    DescriptorRef inA;
    SocketId socket;
};

TEST(SocketProperties, ShowIdentityAddressesDescriptorsOptionsAndRegistrations) {
    SharedSocket live;
    ASSERT_TRUE(live.settled);
    const SocketState& socket = *live.session.state().socket(live.socket);
    const DetailSheet sheet = socketDetails(live.session.state(), live.socket);

    const DetailSection* identity = sectionOf(sheet, QStringLiteral("Identity and state"));
    ASSERT_NE(identity, nullptr);
    EXPECT_EQ(valueOf(*identity, QStringLiteral("Local address")),
              QString::fromStdString(socket.local));
    EXPECT_TRUE(valueOf(*identity, QStringLiteral("Peer address")).startsWith(u"127.0.0.1:"));
    EXPECT_EQ(valueOf(*identity, QStringLiteral("TCP state")), QStringLiteral("ESTABLISHED"));
    EXPECT_EQ(valueOf(*identity, QStringLiteral("Descriptors (read from the OS)")),
              QStringLiteral("2"));

    const DetailSection* descriptors =
        sectionOf(sheet, QStringLiteral("Descriptors, with their processes"));
    ASSERT_NE(descriptors, nullptr);
    ASSERT_EQ(descriptors->rows.size(), 2u);
    EXPECT_TRUE(hasRow(*descriptors, {QString::number(live.inA.handle.value()), live.name("A")}));
    EXPECT_EQ(descriptors->rows[1].value(1), live.name("B"));

    const DetailSection* options =
        sectionOf(sheet, QStringLiteral("Options, through each descriptor"));
    ASSERT_NE(options, nullptr);
    int rcvbuf = 0;
    for (const QStringList& row : options->rows)
        rcvbuf += row.value(0) == QStringLiteral("SO_RCVBUF") ? 1 : 0;
    EXPECT_EQ(rcvbuf, 2) << "SO_RCVBUF through each of the two descriptors";

    const DetailSection* history =
        sectionOf(sheet, QStringLiteral("FD_READ / FD_WRITE registration history"));
    ASSERT_NE(history, nullptr);
    ASSERT_GE(history->rows.size(), 2u);
    EXPECT_EQ(history->rows[0].value(1), live.name("A"));
    EXPECT_EQ(history->rows[0].value(2), QStringLiteral("FD_READ"));
    EXPECT_EQ(history->rows[1].value(1), live.name("B"));
    EXPECT_EQ(history->rows[1].value(4), live.name("A")) << "B's registration replaced A's";
}

TEST(ProcessDetails, ShowCommandLineUserAndEveryDescriptorFromTheOs) {
    SharedSocket live;
    ASSERT_TRUE(live.settled);
    const ProcessState& a = *live.session.state().process(live.process("A"));
    const ProcessOsFacts facts = readProcessOsFacts(a);
    EXPECT_TRUE(facts.commandLine.contains(QStringLiteral("socklens-helper")))
        << facts.commandLine.toStdString();
    EXPECT_TRUE(facts.user.startsWith(QString::fromLocal8Bit(getpwuid(getuid())->pw_name)))
        << facts.user.toStdString();

    const DetailSheet sheet = processDetails(live.session.state(), live.process("A"), facts);
    const DetailSection* process = sectionOf(sheet, QStringLiteral("Process"));
    ASSERT_NE(process, nullptr);
    EXPECT_EQ(valueOf(*process, QStringLiteral("OS pid")), QString::number(a.pid.value()));
    EXPECT_EQ(valueOf(*process, QStringLiteral("Command line")), facts.commandLine);
    const DetailSection* held = sectionOf(sheet, QStringLiteral("Its descriptors"));
    ASSERT_NE(held, nullptr);
    EXPECT_EQ(held->rows.size(), 2u) << "both ends of the TCP pair";

    // Once it has ended, the dialog says so instead of reading a pid someone else may have.
    live.engine.killHelper(live.process("A"));
    ASSERT_TRUE(live.settle());
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return !live.session.state().process(live.process("A"))->alive; }, 5000));
    EXPECT_TRUE(readProcessOsFacts(*live.session.state().process(live.process("A")))
                    .commandLine.contains(QStringLiteral("ended")));
}

TEST(SocketsTable, RightClickOffersPropertiesAndDetailsAndActivatingOpensProperties) {
    SharedSocket live;
    ASSERT_TRUE(live.settled);
    auto* table = live.window.findChild<QTableView*>(QStringLiteral("socketsTable"));
    ASSERT_NE(table, nullptr);
    const int row = [&] {
        for (int r = 0; r < table->model()->rowCount(); ++r) {
            if (table->model()->index(r, 0).data(SocketsModel::SocketRole).toUInt() ==
                live.socket.value())
                return r;
        }
        return -1;
    }();
    ASSERT_GE(row, 0);
    const QRect cell = table->visualRect(table->model()->index(row, 0));
    const QStringList offered =
        menuOffered([&] { Q_EMIT table->customContextMenuRequested(cell.center()); });
    EXPECT_TRUE(offered.contains(QStringLiteral("S%1 &properties…").arg(live.socket.value())))
        << offered.join(u',').toStdString();
    EXPECT_TRUE(offered.contains(QStringLiteral("Process &details")));
    EXPECT_TRUE(offered.contains(QStringLiteral("Copy &local address")));

    table->setCurrentIndex(table->model()->index(row, 0));
    table->setFocus();
    QTest::keyClick(table, Qt::Key_Return);
    auto* dialog = live.window.findChild<DetailsDialog*>(QStringLiteral("socketProperties"));
    ASSERT_NE(dialog, nullptr);
    EXPECT_TRUE(dialog->isVisible());
    EXPECT_GE(dialog->findChildren<QTableWidget*>().size(), 3);
    dialog->close();
}

TEST(SocketsTable, HeaderMenuChoosesColumnsAndRemembersThem) {
    QSettings().remove(QStringLiteral("columns/sockets"));
    StartedWindow live;
    ASSERT_TRUE(live.settled);
    auto* table = live.window.findChild<QTableView*>(QStringLiteral("socketsTable"));
    ASSERT_NE(table, nullptr);
    QHeaderView* header = table->horizontalHeader();
    QStringList offered;
    QTimer::singleShot(0, [&] {
        auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
        if (!menu)
            return;
        for (QAction* a : menu->actions()) {
            offered << a->text();
            if (a->text() == QStringLiteral("Peer"))
                a->toggle();
        }
        menu->close();
    });
    Q_EMIT header->customContextMenuRequested(QPoint(10, 5));
    EXPECT_TRUE(offered.contains(QStringLiteral("Local"))) << offered.join(u',').toStdString();
    EXPECT_TRUE(table->isColumnHidden(SocketsModel::PeerColumn));
    EXPECT_FALSE(table->isColumnHidden(SocketsModel::LocalColumn));

    // A new view of the same table starts with it hidden.
    QTableView again;
    again.setModel(table->model());
    installColumnChooser(again, QStringLiteral("sockets"));
    EXPECT_TRUE(again.isColumnHidden(SocketsModel::PeerColumn));
    QSettings().remove(QStringLiteral("columns/sockets"));
}

TEST(Journal, RowMenuReplaysAndOpensDialogsAndColumnsFitTheirText) {
    SharedSocket live;
    ASSERT_TRUE(live.settled);
    auto* journal = live.window.findChild<JournalView*>(QStringLiteral("journal"));
    ASSERT_NE(journal, nullptr);
    live.window.showView(QStringLiteral("journal"));
    auto* table = journal->findChild<QTableView*>();
    ASSERT_NE(table, nullptr);

    // An entry about the socket: the menu offers to replay to it and its properties.
    const std::vector<JournalEntry>& entries = live.session.journal().entries();
    const auto about = std::find_if(entries.begin(), entries.end(), [&](const JournalEntry& e) {
        return std::holds_alternative<entry::RegistrationMade>(e.payload);
    });
    ASSERT_NE(about, entries.end());
    ASSERT_TRUE(journal->selectEntry(about->sequence));
    EXPECT_EQ(journal->currentEntry(), about->sequence);
    QCoreApplication::processEvents();
    const QRect cell = table->visualRect(table->currentIndex());
    const QStringList offered =
        menuOffered([&] { Q_EMIT table->customContextMenuRequested(cell.center()); });
    EXPECT_TRUE(offered.contains(QStringLiteral("&Replay to just after this entry")))
        << offered.join(u',').toStdString();
    EXPECT_TRUE(offered.contains(QStringLiteral("S%1 &properties…").arg(live.socket.value())));
    EXPECT_TRUE(offered.contains(QStringLiteral("&Process details…")));
    Q_EMIT journal->socketPropertiesRequested(live.socket);
    EXPECT_NE(live.window.findChild<DetailsDialog*>(QStringLiteral("socketProperties")), nullptr);

    // The #, time and category columns are wide enough for their text.
    for (const int column :
         {JournalModel::SequenceColumn, JournalModel::TimeColumn, JournalModel::CategoryColumn}) {
        const QString text = table->model()->index(0, column).data().toString();
        EXPECT_GT(table->columnWidth(column), table->fontMetrics().horizontalAdvance(text))
            << "column " << column;
    }
    EXPECT_GE(table->columnWidth(JournalModel::CategoryColumn),
              table->fontMetrics().horizontalAdvance(QStringLiteral("observation")));
}

TEST(Journal, SelectingAnEntryHiddenByTheFilterShowsItAnyway) {
    SharedSocket live;
    ASSERT_TRUE(live.settled);
    auto* journal = live.window.findChild<JournalView*>(QStringLiteral("journal"));
    ASSERT_NE(journal, nullptr);
    auto* filter = journal->findChild<QLineEdit*>();
    ASSERT_NE(filter, nullptr);
    filter->setText(QStringLiteral("no entry says this"));
    EXPECT_TRUE(journal->selectEntry(Sequence(2)));
    EXPECT_EQ(journal->currentEntry(), Sequence(2));
    EXPECT_TRUE(filter->text().isEmpty());
    EXPECT_FALSE(journal->selectEntry(Sequence(1'000'000)));
}

TEST(Panes, ClickingBackOnAPanesCurrentRowMakesItTheTargetAgain) {
    SharedSocket live;
    ASSERT_TRUE(live.settled);
    ASSERT_TRUE(live.clickFirstRow("A"));
    ASSERT_TRUE(live.window.currentDescriptor().has_value());
    EXPECT_EQ(live.window.currentDescriptor()->process, live.process("A"));
    ASSERT_TRUE(live.clickFirstRow("B"));
    EXPECT_EQ(live.window.currentDescriptor()->process, live.process("B"));
    // A's row is still current in A's pane: no row change, yet it is the target again.
    ASSERT_TRUE(live.clickFirstRow("A"));
    EXPECT_EQ(live.window.currentDescriptor()->process, live.process("A"));
}

TEST(Timeline, ClickingAMarkSelectsItsJournalEntry) {
    SharedSocket live;
    ASSERT_TRUE(live.settled);
    auto* timeline = live.window.findChild<RegistrationTimelinePlot*>(QStringLiteral("timeline"));
    auto* journal = live.window.findChild<JournalView*>(QStringLiteral("journal"));
    ASSERT_TRUE(timeline && journal);
    live.window.showView(QStringLiteral("timeline"));
    Q_EMIT timeline->entryChosen(Sequence(3));
    EXPECT_TRUE(journal->isVisible());
    EXPECT_EQ(journal->currentEntry(), Sequence(3));
}

} // namespace
