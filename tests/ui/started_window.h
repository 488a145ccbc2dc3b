// A live session with two helpers (a TCP pair in A) shown in a real main window, for the
// tests that drive the window as a user would.
#pragma once

#include "live_session.h"
#include "models/process_descriptors_proxy.h"
#include "widgets/main_window.h"
#include "widgets/panes_area.h"
#include "widgets/process_pane.h"

#include <QAction>
#include <QDir>
#include <QTableView>
#include <QTest>

namespace socklens::testing {

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
        ui::ProcessPane* pane = window.panes().pane(process(name));
        if (!pane || pane->proxy()->rowCount() == 0)
            return false;
        QTableView* view = pane->view();
        const QRect cell = view->visualRect(pane->proxy()->index(0, 0));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, cell.center());
        return true;
    }
    int threads() const { return int(QDir(QStringLiteral("/proc/self/task")).count()) - 2; }

    ui::MainWindow window{session, engine};
    bool settled = false;
};

} // namespace socklens::testing
