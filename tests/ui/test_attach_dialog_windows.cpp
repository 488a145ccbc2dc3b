// The Attach dialog's "Windows programs (Wine)" section (issue 11.2): the prefix's programs are
// listed as the engine answers, one of them chosen attaches by its Windows pid, a Linux process
// and a Windows program are never chosen at once, and where nothing can be listed it says why.
#include "live_session.h"
#include "models/null_commands.h"
#include "widgets/attach_dialog.h"

#include <QItemSelectionModel>
#include <QLabel>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTest>
#include <gtest/gtest.h>

using namespace socklens;

TEST(AttachDialogWindows, AChosenProgramIsAttachedByItsWindowsPid) {
    ui::AttachDialog dialog;
    dialog.showWindowsProcesses({96, 120}, {QStringLiteral("server.exe"), QStringLiteral("b.exe")},
                                {});
    QTableWidget& windows = dialog.windowsView();
    ASSERT_EQ(windows.rowCount(), 2);
    EXPECT_EQ(windows.item(0, 1)->text(), QStringLiteral("server.exe"));
    EXPECT_TRUE(dialog.windowsNote().text().contains(QStringLiteral("Winsock helper")));

    windows.selectRow(1);
    const auto target = dialog.target();
    ASSERT_TRUE(target.has_value());
    EXPECT_EQ(target->kind, broker::AttachTarget::Kind::WindowsPid);
    EXPECT_EQ(target->value, 120u);
    EXPECT_EQ(target->text(), "Windows pid 120 (Wine)");

    // Choosing a Linux process instead clears the Windows choice: one target at a time.
    ASSERT_TRUE(QTest::qWaitFor([&] { return dialog.view().model()->rowCount() > 0; }, 10000))
        << "this test's own process is never listed";
    dialog.view().selectRow(0);
    EXPECT_TRUE(windows.selectedItems().isEmpty());
    ASSERT_TRUE(dialog.target().has_value());
    EXPECT_EQ(dialog.target()->kind, broker::AttachTarget::Kind::Pid);
    windows.selectRow(0);
    EXPECT_FALSE(dialog.view().selectionModel()->hasSelection());
    EXPECT_EQ(dialog.target()->value, 96u);
}

TEST(AttachDialogWindows, WhereNothingCanBeListedItSaysWhy) {
    ui::AttachDialog dialog;
    EXPECT_TRUE(dialog.windowsNote().text().contains(QStringLiteral("Start a Winsock helper")));
    dialog.showWindowsProcesses({}, {}, QStringLiteral("no Winsock helper is running"));
    EXPECT_EQ(dialog.windowsView().rowCount(), 0);
    EXPECT_EQ(dialog.windowsNote().text(), QStringLiteral("no Winsock helper is running"));

    // A recorded session has nothing to list with, and says so.
    ui::NullCommands recorded;
    QSignalSpy listed(&recorded, &ui::Commands::windowsProcessesListed);
    recorded.listWindowsProcesses();
    ASSERT_EQ(listed.size(), 1);
    EXPECT_FALSE(listed.front().at(2).toString().isEmpty());
}

TEST(AttachDialogWindows, ALiveSessionWithoutAWinsockHelperSaysToStartOne) {
    socklens::testing::LiveSession live;
    QSignalSpy listed(&live.engine, &ui::Commands::windowsProcessesListed);
    live.engine.listWindowsProcesses();
    ASSERT_TRUE(listed.wait(10000)) << "the engine never answered";
    EXPECT_TRUE(listed.front().at(0).value<QList<qint64>>().isEmpty());
    EXPECT_TRUE(listed.front().at(2).toString().contains(QStringLiteral("start one")))
        << listed.front().at(2).toString().toStdString();
}
