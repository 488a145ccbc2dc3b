// Replay: the Session folded up to an earlier journal entry, and every model following it.
#include "live_session.h"
#include "model/session_reader.h"
#include "model/session_writer.h"
#include "models/descriptors_model.h"
#include "models/sockets_model.h"
#include "widgets/main_window.h"
#include "widgets/panes_area.h"
#include "widgets/process_pane.h"
#include "widgets/replay_bar.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <gtest/gtest.h>

using namespace socklens;
using namespace socklens::ui;
using socklens::testing::LiveSession;

namespace {

/// A TCP pair in A; conn duplicated into B; A registers FD_READ, B FD_WRITE through its copy
/// (A's is cancelled); then B closes its copy: the count goes 1 -> 2 -> 1.
struct SharedThenClosed : LiveSession {
    SharedThenClosed() {
        // Through the GUI's commands, as a user would: each step needs the one before.
        engine.spawnHelperWithSocket(QStringLiteral("A"), SocketKind::TcpPair);
        engine.spawnHelper(QStringLiteral("B"), Platform::Linux);
        if (!settle() || descriptorsOf(process("A")).size() != 2)
            return;
        conn = descriptorsOf(process("A")).front();
        engine.duplicate(conn, process("B"));
        if (!settle() || descriptorsOf(process("B")).size() != 1)
            return;
        const DescriptorRef copy = descriptorsOf(process("B")).front();
        engine.registerEvents(conn, FdRead);
        engine.registerEvents(copy, FdWrite);
        engine.close(copy);
        settled = settle();
        if (settled)
            socket = session.state().descriptor(conn)->socket;
    }

    bool settled = false;
    DescriptorRef conn;
    SocketId socket;
};

/// The socket's observed count at every journal position where it changes, in order.
std::vector<int> countsAlong(Session& session, SocketId socket) {
    std::vector<int> seen;
    for (int k = 0; k <= int(session.journal().entries().size()); ++k) {
        session.replayTo(k);
        const SocketState* state = session.state().socket(socket);
        if (state && !state->countHistory.empty() && (seen.empty() || seen.back() != state->count))
            seen.push_back(state->count);
    }
    return seen;
}

int countShownBy(const SocketsModel& model, SocketId socket) {
    const int row = model.rowOf(socket);
    return row < 0 ? -1 : model.index(row, 0).data(SocketsModel::CountRole).toInt();
}

} // namespace

TEST(Replay, TheCountGoesOneTwoOneAndTheModelsFollowEveryStep) {
    SharedThenClosed live;
    ASSERT_TRUE(live.settled);
    SocketsModel sockets(live.session);
    DescriptorsModel descriptors(live.session, live.engine);
    QAbstractItemModelTester socketsTester(&sockets,
                                           QAbstractItemModelTester::FailureReportingMode::Fatal);
    QAbstractItemModelTester descriptorsTester(
        &descriptors, QAbstractItemModelTester::FailureReportingMode::Fatal);

    std::vector<int> seen;
    for (int k = 0; k <= int(live.session.journal().entries().size()); ++k) {
        live.session.replayTo(k);
        const SocketState* state = live.session.state().socket(live.socket);
        if (!state || state->countHistory.empty())
            continue; // identified, not counted yet
        // What the model shows is what the replayed state says, at every entry.
        ASSERT_EQ(countShownBy(sockets, live.socket), state->count) << "at entry " << k;
        if (seen.empty() || seen.back() != state->count)
            seen.push_back(state->count);
    }
    EXPECT_EQ(seen, (std::vector<int>{1, 2, 1}));

    live.session.returnToLive();
    EXPECT_FALSE(live.session.replaying());
    EXPECT_EQ(countShownBy(sockets, live.socket), 1);
    EXPECT_EQ(&live.session.state(), &live.session.liveState());
}

TEST(Replay, ASavedSessionReplaysTheSameWay) {
    SharedThenClosed live;
    ASSERT_TRUE(live.settled);
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("session.jsonl")).toStdString();
    SessionWriter(path).write(std::span(live.session.journal().entries()));

    const LoadedSession loaded = readSessionFile(path);
    ASSERT_TRUE(loaded.error.empty()) << loaded.error;
    Session opened;
    opened.append(loaded.entries);
    EXPECT_EQ(countsAlong(opened, live.socket), (std::vector<int>{1, 2, 1}));
}

TEST(Replay, TheRegistrationChangesHandsAtItsEntry) {
    SharedThenClosed live;
    ASSERT_TRUE(live.settled);
    const auto owners = [&] {
        std::vector<ProcessId> order;
        for (int k = 0; k <= int(live.session.journal().entries().size()); ++k) {
            live.session.replayTo(k);
            const SocketState* state = live.session.state().socket(live.socket);
            const ProcessId owner = state ? state->registration.owner : ProcessId();
            if (owner.valid() && (order.empty() || order.back() != owner))
                order.push_back(owner);
        }
        return order;
    }();
    ASSERT_EQ(owners.size(), 2u);
    EXPECT_EQ(live.session.liveState().process(owners[0])->name, "A");
    EXPECT_EQ(live.session.liveState().process(owners[1])->name, "B");
}

TEST(Replay, NewEntriesJoinTheJournalWhileTheViewsStayInThePast) {
    SharedThenClosed live;
    ASSERT_TRUE(live.settled);
    live.session.replayTo(0);
    const std::size_t before = live.session.journal().entries().size();
    live.engine.createSocket(live.conn.process, SocketKind::Udp);
    ASSERT_TRUE(live.settle());
    EXPECT_GT(live.session.journal().entries().size(), before);
    EXPECT_TRUE(live.session.replaying());
    EXPECT_TRUE(live.session.state().sockets.empty()); // still before anything existed
    EXPECT_EQ(live.session.liveState().sockets.size(), 3u);
}

TEST(Replay, PlayingAtTenTimesReachesLiveAndTheSliderOnlyMovesForward) {
    SharedThenClosed live;
    ASSERT_TRUE(live.settled);
    MainWindow window(live.session, live.engine);
    ReplayBar& bar = window.replayBar();
    bar.setSpeed(10);
    bar.togglePlaying(); // from live: starts at the beginning
    ASSERT_TRUE(live.session.replaying());
    std::size_t last = 0;
    bool monotonic = true;
    QObject::connect(&live.session, &Session::replayMoved, [&] {
        const std::size_t now = live.session.visibleEntries().size();
        if (live.session.replaying() && now < last)
            monotonic = false;
        last = now;
    });
    // The session took well under a second; at 10x playback ends within a fraction of that.
    EXPECT_TRUE(QTest::qWaitFor([&] { return !live.session.replaying(); }, 20000));
    EXPECT_FALSE(bar.playing());
    EXPECT_TRUE(monotonic);
}

namespace {

TEST(Replay, APaneSaysItsProcessHasNotStartedYetBeforeItJoined) {
    SharedThenClosed live;
    ASSERT_TRUE(live.settled);
    MainWindow window(live.session, live.engine);
    ProcessPane* paneB = window.panes().pane(live.process("B"));
    ASSERT_NE(paneB, nullptr);
    const auto statusOf = [](ProcessPane& pane) {
        QStringList texts;
        for (QLabel* label : pane.findChildren<QLabel*>())
            texts << label->text();
        return texts.join(u' ');
    };
    EXPECT_TRUE(statusOf(*paneB).contains(QStringLiteral("alive")));

    // B's ProcessStarted is the second entry at the latest: before it, B was not there.
    const auto& entries = live.session.journal().entries();
    const auto started = std::find_if(entries.begin(), entries.end(), [&](const JournalEntry& e) {
        const auto* s = std::get_if<entry::ProcessStarted>(&e.payload);
        return s && s->process == live.process("B");
    });
    ASSERT_NE(started, entries.end());
    live.session.replayTo(int(started - entries.begin()));
    EXPECT_TRUE(statusOf(*paneB).contains(QStringLiteral("not yet started")))
        << statusOf(*paneB).toStdString();
    EXPECT_FALSE(paneB->view()->isEnabled());

    live.session.returnToLive();
    EXPECT_TRUE(statusOf(*paneB).contains(QStringLiteral("alive")));
    EXPECT_TRUE(paneB->view()->isEnabled());
}

} // namespace
