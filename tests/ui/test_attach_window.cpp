// The app attached read-only to a real forking server (issue 10): its processes get panes
// marked read-only, a drop onto one is refused with the reason in the status bar, option
// cells a deep read would give say so, and View ▸ Machine lists the listener with every
// holder.
#include "../integration/real_programs.h"
#include "live_session.h"
#include "models/descriptor_mime.h"
#include "models/descriptors_model.h"
#include "models/machine_map_model.h"
#include "models/options_matrix_model.h"
#include "models/process_descriptors_proxy.h"
#include "widgets/machine_view.h"
#include "widgets/main_window.h"
#include "widgets/panes_area.h"
#include "widgets/process_pane.h"

#include <QAction>
#include <QLabel>
#include <QStatusBar>
#include <QTest>
#include <gtest/gtest.h>
#include <set>

using namespace socklens;
using namespace socklens::testing;

namespace {

constexpr int kTimeoutMs = 10000;

QAction* actionNamed(QWidget& window, const QString& text) {
    for (QAction* a : window.findChildren<QAction*>())
        if (a->text() == text)
            return a;
    return nullptr;
}

} // namespace

TEST(AttachWindow, AForkingServersProcessesAreReadOnlyPanesAndTheMachineListsItsHolders) {
    ForkedProcess server = forkingServer();
    const long long fd = server.read("fd");
    const std::uint64_t inode = std::uint64_t(server.read("inode"));
    std::set<long long> pids{server.pid()};
    for (int i = 0; i < kWorkers; ++i)
        pids.insert(server.read("worker"));

    LiveSession live;
    ui::MainWindow window{live.session, live.engine};
    window.show();
    live.engine.attach({broker::AttachTarget::Kind::Tree, std::uint64_t(server.pid())});
    ASSERT_TRUE(live.settle());
    const State& state = live.session.state();
    std::vector<ProcessId> attached;
    for (const auto& [id, process] : state.processes)
        if (process.foreign && pids.contains(process.pid.value()))
            attached.push_back(id);
    ASSERT_EQ(attached.size(), pids.size());

    // Every attached process has a pane that says it is read-only, and why cells are empty.
    for (const ProcessId id : attached) {
        ui::ProcessPane* pane = window.panes().pane(id);
        ASSERT_NE(pane, nullptr);
        ASSERT_TRUE(QTest::qWaitFor([&] { return pane->proxy()->rowCount() >= 1; }, kTimeoutMs));
        const auto* limits = pane->findChild<QLabel*>(QStringLiteral("readOnlyLimits"));
        ASSERT_NE(limits, nullptr);
        EXPECT_TRUE(limits->isVisibleTo(pane));
        EXPECT_TRUE(limits->text().contains(QStringLiteral("deep read")));
    }

    // A drop onto a read-only pane is refused, and the status bar says why.
    const DescriptorRef leader{attached.front(), Handle(fd)};
    const DescriptorRef worker{attached.back(), Handle(fd)};
    ASSERT_TRUE(state.descriptor(worker) && state.descriptor(worker)->open);
    const std::unique_ptr<QMimeData> mime = ui::descriptorMime({worker});
    ui::ProcessPane* target = window.panes().pane(leader.process);
    EXPECT_FALSE(target->proxy()->dropMimeData(mime.get(), Qt::CopyAction, -1, -1, {}));
    EXPECT_TRUE(window.statusBar()->currentMessage().contains(QStringLiteral("read-only")))
        << window.statusBar()->currentMessage().toStdString();
    ASSERT_TRUE(live.settle()); // a command the drop queued (there must be none) has run
    EXPECT_EQ(state.descriptorsOf(*state.socketWithIdentity(inode)).size(), pids.size());

    // Dragged out into a helper: copied with pidfd_getfd after a confirmation naming it.
    live.engine.spawnHelper(QStringLiteral("H"), Platform::Linux);
    ASSERT_TRUE(live.settle());
    const ProcessId helper = live.process("H");
    QString asked;
    window.descriptors().setConfirmation([&](const QString& question) {
        asked = question;
        return true;
    });
    EXPECT_TRUE(
        window.panes().pane(helper)->proxy()->dropMimeData(mime.get(), Qt::CopyAction, -1, -1, {}));
    ASSERT_TRUE(live.settle());
    EXPECT_TRUE(
        asked.contains(QStringLiteral("pid %1").arg(state.process(worker.process)->pid.value())))
        << asked.toStdString();
    ASSERT_EQ(live.descriptorsOf(helper).size(), 1u);
    EXPECT_EQ(state.descriptor(live.descriptorsOf(helper).front())->socket,
              state.descriptor(worker)->socket);

    // SO_RCVBUF comes from sock_diag; SO_LINGER needs a copy of the descriptor.
    window.selectSocket(state.descriptor(leader)->socket);
    ui::OptionsMatrixModel& options = window.optionsMatrix();
    const int row = options.rowOf(leader);
    ASSERT_GE(row, 0);
    for (int column = 0; column < options.columnCount(); ++column) {
        const QString cell = options.index(row, column).data().toString();
        const QString header =
            options.headerData(column, Qt::Horizontal, Qt::DisplayRole).toString();
        if (header.contains(QStringLiteral("LINGER"))) {
            EXPECT_EQ(cell, QStringLiteral("needs deep read"));
        }
        if (header.contains(QStringLiteral("RCVBUF"))) {
            EXPECT_NE(cell, QStringLiteral("needs deep read"));
        }
        EXPECT_FALSE(options.flags(options.index(row, column)) & Qt::ItemIsEditable);
    }

    // View ▸ Machine: the listener with all its holders.
    QAction* machine = actionNamed(window, QStringLiteral("&Machine"));
    ASSERT_NE(machine, nullptr);
    machine->trigger();
    auto* view = window.findChild<ui::MachineView*>();
    ASSERT_NE(view, nullptr);
    auto holders = [&] {
        std::set<std::pair<long long, long long>> found;
        for (const sysmap::MapSocket& socket : view->model().map().sockets)
            if (socket.kernel.inode == inode)
                for (const sysmap::MapHolder& holder : socket.holders)
                    found.emplace(holder.pid, holder.fd);
        return found;
    };
    std::set<std::pair<long long, long long>> expected;
    for (const long long pid : pids)
        expected.emplace(pid, fd);
    expected.emplace(state.process(helper)->pid.value(),
                     live.descriptorsOf(helper).front().handle.value());
    ASSERT_TRUE(QTest::qWaitFor([&] { return holders() == expected; }, kTimeoutMs));
    const int shown = view->model().rowOf(inode);
    ASSERT_GE(shown, 0);
    EXPECT_EQ(view->model().index(shown, ui::MachineMapModel::CountColumn).data().toInt(),
              int(pids.size()) + 1); // and the helper's copy
}
