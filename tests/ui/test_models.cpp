// The item models fed by real sessions (real helpers), under QAbstractItemModelTester.
#include "live_session.h"
#include "models/descriptors_model.h"
#include "models/handoff_steps_model.h"
#include "models/journal_model.h"
#include "models/options_matrix_model.h"
#include "models/process_descriptors_proxy.h"
#include "models/processes_model.h"
#include "models/sockets_model.h"

#include <QAbstractItemModelTester>
#include <QMimeData>
#include <gtest/gtest.h>

using namespace socklens;
using namespace socklens::ui;
using socklens::testing::LiveSession;

namespace {

/// Two helpers and a TCP pair in the first, like the app's start-up session.
struct StartedSession : LiveSession {
    StartedSession() {
        engine.spawnHelperWithSocket(QStringLiteral("A"), SocketKind::TcpPair);
        engine.spawnHelper(QStringLiteral("B"), Platform::Linux);
        settled = settle();
        a = process("A");
        b = process("B");
        const std::vector<DescriptorRef> pair = descriptorsOf(a);
        if (pair.size() == 2) {
            conn = pair[0];
            peer = pair[1];
        }
    }
    SocketId socketOf(const DescriptorRef& ref) const {
        return session.state().descriptor(ref)->socket;
    }
    int countOf(const DescriptorRef& ref) const {
        return session.state().socket(socketOf(ref))->count;
    }

    bool settled = false;
    ProcessId a, b;
    DescriptorRef conn, peer;
};

int rowOfDescriptor(const QAbstractItemModel& model, const DescriptorRef& ref) {
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex index = model.index(row, 0);
        if (index.data(DescriptorsModel::ProcessRole).toUInt() == ref.process.value() &&
            index.data(DescriptorsModel::HandleRole).toLongLong() == ref.handle.value())
            return row;
    }
    return -1;
}

} // namespace

TEST(UiModels, EveryModelStaysConsistentThroughALiveSession) {
    StartedSession live;
    ASSERT_TRUE(live.settled);
    ASSERT_TRUE(live.conn.process.valid());
    const auto mode = QAbstractItemModelTester::FailureReportingMode::Fatal;

    DescriptorsModel descriptors(live.session, live.engine);
    ProcessDescriptorsProxy paneA(descriptors, live.a);
    ProcessDescriptorsProxy paneB(descriptors, live.b);
    ProcessesModel processes(live.session);
    SocketsModel sockets(live.session);
    OptionsMatrixModel options(live.session, live.engine);
    HandoffStepsModel handoff(live.session);
    JournalModel journal(live.session);
    JournalFilterProxy journalFilter;
    journalFilter.setSourceModel(&journal);
    journalFilter.setFilterFixedString(QStringLiteral("S1"));
    for (QAbstractItemModel* model : std::initializer_list<QAbstractItemModel*>{
             &descriptors, &paneA, &paneB, &processes, &sockets, &options, &handoff, &journal,
             &journalFilter})
        new QAbstractItemModelTester(model, mode, model);

    options.setSocket(live.socketOf(live.conn));
    live.engine.duplicate(live.conn, live.b);
    live.engine.setOption(live.conn, SocketOption::SndBuf, 50000);
    live.engine.registerEvents(live.conn, FdRead);
    live.engine.createSocket(live.b, SocketKind::Udp);
    ASSERT_TRUE(live.settle());
    handoff.setDuplication(live.session.state().duplications.begin()->first);
    live.engine.close(live.conn);
    live.engine.killHelper(live.b);
    ASSERT_TRUE(live.settle());

    EXPECT_EQ(processes.rowCount(), 2);
    EXPECT_EQ(paneB.rowCount(), 0); // B was killed: its descriptors went with it
    EXPECT_EQ(paneA.rowCount(), 1); // only the peer is left in A
    EXPECT_EQ(handoff.rowCount(), 10);
    EXPECT_GT(journal.rowCount(), 20);
    EXPECT_GT(journalFilter.rowCount(), 0);
    EXPECT_LT(journalFilter.rowCount(), journal.rowCount());
    const int connRow = sockets.rowOf(live.socketOf(live.conn));
    ASSERT_GE(connRow, 0);
    EXPECT_EQ(sockets.index(connRow, SocketsModel::CountColumn).data().toString(),
              QStringLiteral("0"));
    EXPECT_EQ(sockets.index(connRow, SocketsModel::StatusColumn).data().toString(),
              QStringLiteral("closed"));
}

TEST(UiModels, DroppingADescriptorOnAnotherPaneDuplicatesItAsTheOsConfirms) {
    StartedSession live;
    ASSERT_TRUE(live.settled);
    DescriptorsModel descriptors(live.session, live.engine);
    ProcessDescriptorsProxy paneA(descriptors, live.a);
    ProcessDescriptorsProxy paneB(descriptors, live.b);
    new QAbstractItemModelTester(&paneB, QAbstractItemModelTester::FailureReportingMode::Fatal,
                                 &paneB);
    EXPECT_EQ(live.countOf(live.conn), 1);

    const int row = rowOfDescriptor(paneA, live.conn);
    ASSERT_GE(row, 0);
    std::unique_ptr<QMimeData> mime(paneA.mimeData({paneA.index(row, 0)}));
    ASSERT_NE(mime, nullptr);
    EXPECT_TRUE(mime->hasFormat(QStringLiteral("application/x-socklens-descriptor")));
    ASSERT_TRUE(paneB.canDropMimeData(mime.get(), Qt::CopyAction, -1, -1, {}));
    ASSERT_TRUE(paneB.dropMimeData(mime.get(), Qt::CopyAction, -1, -1, {}));
    ASSERT_TRUE(live.settle());

    EXPECT_EQ(live.countOf(live.conn), 2); // observed from /proc/*/fd, not counted by the broker
    EXPECT_EQ(paneB.rowCount(), 1);
    EXPECT_EQ(paneB.index(0, 0).data(DescriptorsModel::SocketRole).toUInt(),
              live.socketOf(live.conn).value());
}

TEST(UiModels, AMoveDropHandsOffAndASelfDropDuplicatesWithinTheProcess) {
    StartedSession live;
    ASSERT_TRUE(live.settled);
    DescriptorsModel descriptors(live.session, live.engine);
    ProcessDescriptorsProxy paneA(descriptors, live.a);
    ProcessDescriptorsProxy paneB(descriptors, live.b);

    std::unique_ptr<QMimeData> self(
        paneA.mimeData({paneA.index(rowOfDescriptor(paneA, live.peer), 0)}));
    ASSERT_TRUE(paneA.dropMimeData(self.get(), Qt::CopyAction, -1, -1, {}));
    std::unique_ptr<QMimeData> moved(
        paneA.mimeData({paneA.index(rowOfDescriptor(paneA, live.conn), 0)}));
    ASSERT_TRUE(paneB.dropMimeData(moved.get(), Qt::MoveAction, -1, -1, {}));
    ASSERT_TRUE(live.settle());

    EXPECT_EQ(live.countOf(live.peer), 2);            // dup() in A
    EXPECT_EQ(rowOfDescriptor(paneA, live.conn), -1); // handed off: closed in A
    EXPECT_EQ(live.countOf(live.conn), 1);
    EXPECT_EQ(paneB.rowCount(), 1);
}

TEST(UiModels, GarbageDropsAreRefused) {
    StartedSession live;
    DescriptorsModel descriptors(live.session, live.engine);
    ProcessDescriptorsProxy paneB(descriptors, live.b);
    QMimeData garbage;
    garbage.setData(QStringLiteral("application/x-socklens-descriptor"), "not:a:descriptor\n");
    EXPECT_FALSE(paneB.canDropMimeData(&garbage, Qt::CopyAction, -1, -1, {}));
    EXPECT_FALSE(paneB.dropMimeData(&garbage, Qt::CopyAction, -1, -1, {}));
    QMimeData text;
    text.setText(QStringLiteral("1:5"));
    EXPECT_FALSE(paneB.dropMimeData(&text, Qt::CopyAction, -1, -1, {}));
}

TEST(UiModels, EditingAnOptionCellChangesWhatAnotherProcessReads) {
    StartedSession live;
    ASSERT_TRUE(live.settled);
    OptionsMatrixModel options(live.session, live.engine);
    new QAbstractItemModelTester(&options, QAbstractItemModelTester::FailureReportingMode::Fatal,
                                 &options);
    live.engine.duplicate(live.conn, live.b);
    ASSERT_TRUE(live.settle());
    options.setSocket(live.socketOf(live.conn));
    ASSERT_EQ(options.rowCount(), 2);
    const int rcvbuf = 0; // SO_RCVBUF is the first column
    ASSERT_EQ(options.optionAt(rcvbuf), SocketOption::RcvBuf);
    const int rowA = options.rowOf(live.conn);
    const int rowB = rowA == 0 ? 1 : 0;
    EXPECT_EQ(options.index(rowA, rcvbuf).data(OptionsMatrixModel::FlashRole).toLongLong(), -1);

    ASSERT_TRUE(options.setData(options.index(rowB, rcvbuf), 12345, Qt::EditRole));
    ASSERT_TRUE(live.settle());

    // Read through A's descriptor, in A's process: the value B set, doubled by Linux (C5).
    EXPECT_EQ(options.index(rowA, rcvbuf).data(Qt::EditRole).toLongLong(), 24690);
    EXPECT_GE(options.index(rowA, rcvbuf).data(OptionsMatrixModel::FlashRole).toLongLong(), 0);
    // Requested vs effective shows where it was set, and what the kernel did.
    EXPECT_EQ(options.index(rowB, rcvbuf).data(Qt::DisplayRole).toString(),
              QStringLiteral("12345 → 24690 (doubled by the kernel)"));
    EXPECT_EQ(options.index(rowA, rcvbuf).data(Qt::DisplayRole).toString(),
              QStringLiteral("24690"));
}
