// "Go live and do it": an option cell edited in replay is refused (the past cannot be set),
// and the replay banner offers to go live and do it; one click leaves replay, opens the
// editor on the same cell, and the value typed there is set for real.
#include "models/options_matrix_model.h"
#include "started_window.h"
#include "widgets/options_matrix_view.h"
#include "widgets/replay_banner.h"

#include <QPushButton>
#include <QSpinBox>
#include <QTest>
#include <gtest/gtest.h>

using namespace socklens;
using namespace socklens::ui;
using socklens::testing::StartedWindow;

namespace {

int columnOf(const OptionsMatrixModel& model, SocketOption option) {
    for (int column = 0; column < model.columnCount(); ++column) {
        if (model.optionAt(column) == option)
            return column;
    }
    return -1;
}

/// The OptionSet the journal has for `option` requested as `value` through `descriptor`.
const entry::OptionSet* optionSet(const Session& session, const DescriptorRef& descriptor,
                                  SocketOption option, std::int64_t value) {
    for (const JournalEntry& entry : session.journal().entries()) {
        const auto* set = std::get_if<entry::OptionSet>(&entry.payload);
        if (set && set->descriptor == descriptor && set->option == option &&
            set->requested == value)
            return set;
    }
    return nullptr;
}

} // namespace

TEST(ReplayGoLive, ARefusedCellEditOffersGoLiveAndTheValueIsSetForReal) {
    StartedWindow live;
    ASSERT_TRUE(live.settled);
    auto* view = live.window.findChild<OptionsMatrixView*>();
    ASSERT_NE(view, nullptr);
    OptionsMatrixModel& options = live.window.optionsMatrix();
    ASSERT_GT(options.rowCount(), 0);
    const int column = columnOf(options, SocketOption::RcvBuf);
    ASSERT_GE(column, 0);
    const DescriptorRef descriptor = options.keyAt(0);
    const QString name = options.headerData(0, Qt::Vertical, Qt::DisplayRole).toString();
    ReplayBanner& banner = live.window.replayBanner();
    auto* doIt = banner.findChild<QPushButton*>(QStringLiteral("goLiveAndDoIt"));
    ASSERT_NE(doIt, nullptr);

    live.session.replayTo(int(live.session.journal().entries().size()) - 1);
    ASSERT_GT(options.rowCount(), 0);
    ASSERT_EQ(options.keyAt(0), descriptor);
    const QModelIndex cell = options.index(0, column);
    view->scrollTo(cell);
    // A double-click as X delivers it: a click, then the second press.
    const QPoint at = view->visualRect(cell).center();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, at);
    EXPECT_EQ(view->viewport()->findChild<QSpinBox*>(), nullptr) << "the past cannot be set";
    EXPECT_TRUE(live.session.replaying());
    EXPECT_EQ(banner.offered(), QStringLiteral("Go live and set SO_RCVBUF through %1").arg(name));
    EXPECT_TRUE(doIt->isVisible());

    QTest::mouseClick(doIt, Qt::LeftButton);
    EXPECT_FALSE(live.session.replaying());
    EXPECT_FALSE(banner.isVisible());
    EXPECT_EQ(banner.offered(), QString()) << "done: the offer is withdrawn";
    auto* editor = view->viewport()->findChild<QSpinBox*>();
    ASSERT_NE(editor, nullptr) << "the editor opens, live";
    EXPECT_EQ(view->currentIndex(), options.index(options.rowOf(descriptor), column));
    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("8192"));
    QTest::keyClick(editor, Qt::Key_Return);
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return optionSet(live.session, descriptor, SocketOption::RcvBuf, 8192); }, 20000))
        << "no setsockopt reached the journal";
    // What getsockopt read back right after, through the same descriptor (Linux doubles it).
    EXPECT_GE(optionSet(live.session, descriptor, SocketOption::RcvBuf, 8192)->effective, 8192);
}

TEST(ReplayGoLive, GoingLiveAnotherWayWithdrawsTheOffer) {
    StartedWindow live;
    ASSERT_TRUE(live.settled);
    auto* view = live.window.findChild<OptionsMatrixView*>();
    ASSERT_NE(view, nullptr);
    OptionsMatrixModel& options = live.window.optionsMatrix();
    live.session.replayTo(int(live.session.journal().entries().size()) - 1);
    ASSERT_GT(options.rowCount(), 0);
    const QModelIndex cell = options.index(0, columnOf(options, SocketOption::RcvBuf));
    view->setCurrentIndex(cell);
    view->setFocus();
    QTest::keyClick(view, Qt::Key_F2); // the keyboard's edit is offered the same way
    EXPECT_FALSE(live.window.replayBanner().offered().isEmpty());
    live.session.returnToLive();
    EXPECT_EQ(live.window.replayBanner().offered(), QString());
    EXPECT_EQ(view->viewport()->findChild<QSpinBox*>(), nullptr) << "nothing is done unasked";
}
