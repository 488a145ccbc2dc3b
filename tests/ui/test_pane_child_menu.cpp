// The pane's context menu offers "Start child of A inheriting its handles" (issue 11.4): chosen,
// a real child of A joins the session holding A's socket, as /proc shows it.
#include "live_session.h"
#include "widgets/main_window.h"
#include "widgets/panes_area.h"
#include "widgets/process_pane.h"

#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QTest>
#include <QTimer>
#include <gtest/gtest.h>

using namespace socklens;

TEST(PaneChildMenu, StartsAChildOfThePanesHelperThatHoldsItsSocket) {
    socklens::testing::LiveSession live;
    ui::MainWindow window{live.session, live.engine};
    window.show();
    live.engine.spawnHelperWithSocket(QStringLiteral("A"), SocketKind::TcpListener);
    ASSERT_TRUE(live.settle());
    const ProcessId a = live.process("A");
    ASSERT_TRUE(a.valid());
    ui::ProcessPane* pane = window.panes().pane(a);
    ASSERT_NE(pane, nullptr);
    const SocketId socket = live.session.state().descriptor(live.descriptorsOf(a).front())->socket;

    // The menu runs its own event loop: the action is chosen from inside it, then it closes.
    QString offered;
    bool enabled = false;
    QTimer::singleShot(0, [&] {
        auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
        if (!menu)
            return;
        if (auto* child = menu->findChild<QAction*>(QStringLiteral("paneStartChild"))) {
            offered = child->text();
            enabled = child->isEnabled();
            if (enabled)
                child->trigger();
        }
        menu->close();
    });
    Q_EMIT pane->paneMenuRequested(pane->mapToGlobal(QPoint(10, 10)));
    EXPECT_EQ(offered, QStringLiteral("Start child of A inheriting its handles"));
    ASSERT_TRUE(enabled);

    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            const SocketState* shared = live.session.state().socket(socket);
            return shared && shared->count == 2;
        },
        10000))
        << "no child of A was found holding its socket";
    bool child = false;
    for (const auto& [id, process] : live.session.state().processes)
        child = child || (id != a && !process.helper && process.name == "A-child");
    EXPECT_TRUE(child);
}
