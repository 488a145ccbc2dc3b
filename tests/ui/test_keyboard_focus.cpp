// Keyboard and accessibility: Tab leaves a table instead of walking its cells, the widget
// with the keyboard is framed, and every view and custom widget has a name a screen reader
// can say.
#include "models/process_descriptors_proxy.h"
#include "started_window.h"
#include "widgets/plot.h"
#include "widgets/process_pane.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QImage>
#include <QLineEdit>
#include <QTest>
#include <gtest/gtest.h>

using namespace socklens;
using namespace socklens::ui;
using socklens::testing::StartedWindow;

namespace {

TEST(Keyboard, TabLeavesATableAndTheFocusedTableIsFramed) {
    StartedWindow live;
    ASSERT_TRUE(live.settled);
    QApplication::setActiveWindow(&live.window);
    ASSERT_TRUE(QTest::qWaitForWindowActive(&live.window));
    auto* sockets = live.window.findChild<QTableView*>(QStringLiteral("socketsTable"));
    ASSERT_NE(sockets, nullptr);
    ASSERT_GT(sockets->model()->rowCount(), 0);

    // Unfocused, then focused: the frame turns to the palette's highlight.
    const auto leftEdge = [&] {
        const QImage image = sockets->grab().toImage();
        return image.pixelColor(0, image.height() / 2);
    };
    const QColor highlight = sockets->palette().color(QPalette::Highlight);
    live.window.findChild<QLineEdit*>(QStringLiteral("socketsFilter"))->setFocus();
    ASSERT_TRUE(QTest::qWaitFor([&] { return !sockets->hasFocus(); }, 2000));
    EXPECT_NE(leftEdge(), highlight);
    sockets->setFocus(Qt::TabFocusReason);
    ASSERT_TRUE(QTest::qWaitFor([&] { return sockets->hasFocus(); }, 2000));
    EXPECT_EQ(leftEdge(), highlight);

    sockets->setCurrentIndex(sockets->model()->index(0, 0));
    QTest::keyClick(sockets, Qt::Key_Tab);
    EXPECT_FALSE(sockets->hasFocus()) << "Tab moved from cell to cell instead of leaving";
}

TEST(Accessibility, EveryViewPaneAndPlotHasAName) {
    StartedWindow live;
    ASSERT_TRUE(live.settled);
    for (QAbstractItemView* view : live.window.findChildren<QAbstractItemView*>()) {
        if (!view->isVisibleTo(&live.window) || qobject_cast<QAbstractItemView*>(view->parent()))
            continue; // combo box popups and the like belong to their owner
        EXPECT_FALSE(view->accessibleName().isEmpty()) << view->metaObject()->className();
        EXPECT_FALSE(view->tabKeyNavigation())
            << view->accessibleName().toStdString() << ": Tab would walk its cells";
    }
    for (QCustomPlot* plot : live.window.findChildren<QCustomPlot*>())
        EXPECT_FALSE(plot->accessibleName().isEmpty());
    const auto panes = live.window.findChildren<ProcessPane*>();
    ASSERT_EQ(panes.size(), 2);
    for (ProcessPane* pane : panes)
        EXPECT_TRUE(pane->accessibleName().startsWith(u"Process "))
            << pane->accessibleName().toStdString();
}

} // namespace
