// The descriptor rows say whether a child gets the descriptor (issue 11.4): a Winsock handle
// whose inherit flag the handle table showed set reads "inheritable" in its Kind cell, one with
// the flag clear does not, and the tooltip says what the flag means; an attached Linux
// process's descriptor without close-on-exec reads "no cloexec", and so does a Linux helper's
// whose helper read its FD_CLOEXEC clear.
#include "models/descriptors_model.h"
#include "models/null_commands.h"
#include "models/session.h"

#include <gtest/gtest.h>

using namespace socklens;
using namespace socklens::ui;

namespace {

const ProcessId kA(1);
const SocketId kShared(1);
const SocketId kKept(2);
const DescriptorRef kInheritable{kA, Handle(0x34)};
const DescriptorRef kNotInheritable{kA, Handle(0x38)};

JournalEntry at(std::uint64_t sequence, EntryPayload payload) {
    return JournalEntry{Sequence(sequence), 0, std::move(payload)};
}

/// The row of `ref` in `model`, or -1.
int rowOf(const DescriptorsModel& model, const DescriptorRef& ref) {
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex index = model.index(row, 0);
        if (index.data(DescriptorsModel::ProcessRole).toLongLong() == ref.process.value() &&
            index.data(DescriptorsModel::HandleRole).toLongLong() == ref.handle.value())
            return row;
    }
    return -1;
}

} // namespace

TEST(InheritMarker, WinsockRowsSayWhichHandlesAChildGets) {
    Session session;
    NullCommands commands;
    DescriptorsModel model(session, commands);
    const auto holder = [](const DescriptorRef& ref, entry::Inheritance inheritance) {
        return entry::Holder{ref.process, OsPid(32), ref.handle, inheritance};
    };
    session.append({
        at(1,
           entry::ProcessStarted{
               .process = kA, .pid = OsPid(32), .name = "a", .platform = Platform::WinsockWine}),
        at(2, entry::SocketIdentified{.socket = kShared,
                                      .identity = 1,
                                      .kind = SocketKindSeen::TcpListener}),
        at(3, entry::SocketIdentified{.socket = kKept,
                                      .identity = 2,
                                      .kind = SocketKindSeen::TcpListener}),
        at(4, entry::DescriptorOpened{kInheritable, kShared, DescriptorOrigin::Created}),
        at(5, entry::DescriptorOpened{kNotInheritable, kKept, DescriptorOrigin::Created}),
    });
    const int shared = rowOf(model, kInheritable);
    const int kept = rowOf(model, kNotInheritable);
    ASSERT_GE(shared, 0);
    ASSERT_GE(kept, 0);
    // Not read yet: nothing is claimed.
    EXPECT_EQ(model.index(shared, DescriptorsModel::KindColumn).data().toString(),
              QStringLiteral("TCP listener"));

    session.append({
        at(6, entry::CountObserved{.socket = kShared,
                                   .count = 1,
                                   .holders = {holder(kInheritable,
                                                      entry::Inheritance::Inheritable)}}),
        at(7, entry::CountObserved{.socket = kKept,
                                   .count = 1,
                                   .holders = {holder(kNotInheritable,
                                                      entry::Inheritance::NotInheritable)}}),
    });
    EXPECT_EQ(model.index(shared, DescriptorsModel::KindColumn).data().toString(),
              QStringLiteral("TCP listener · inheritable"));
    EXPECT_TRUE(model.index(shared, DescriptorsModel::KindColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("HANDLE_FLAG_INHERIT")));
    EXPECT_EQ(model.index(kept, DescriptorsModel::KindColumn).data().toString(),
              QStringLiteral("TCP listener"));
    EXPECT_TRUE(model.index(kept, DescriptorsModel::KindColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("no child gets this handle")));
}

TEST(InheritMarker, AnAttachedLinuxDescriptorWithoutCloseOnExecSaysSo) {
    Session session;
    NullCommands commands;
    DescriptorsModel model(session, commands);
    const DescriptorRef fd{kA, Handle(5)};
    session.append({
        at(1, entry::ProcessStarted{.process = kA, .pid = OsPid(4242), .name = "server"}),
        at(2, entry::ProcessAttached{kA, "pid 4242", ""}),
        at(3, entry::SocketIdentified{.socket = kShared,
                                      .identity = 77,
                                      .kind = SocketKindSeen::TcpListener}),
        at(4, entry::DescriptorOpened{fd, kShared, DescriptorOrigin::Observed}),
        at(5, entry::DescriptorObserved{.descriptor = fd, .closeOnExec = false}),
    });
    const int row = rowOf(model, fd);
    ASSERT_GE(row, 0);
    EXPECT_EQ(model.index(row, DescriptorsModel::KindColumn).data().toString(),
              QStringLiteral("TCP listener · no cloexec"));
    EXPECT_TRUE(model.index(row, DescriptorsModel::KindColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("no close-on-exec")));
    EXPECT_FALSE(model.index(row, DescriptorsModel::KindColumn)
                     .data(Qt::ToolTipRole)
                     .toString()
                     .contains(QStringLiteral("HANDLE_FLAG_INHERIT")));
}

// A Linux helper's descriptor: its helper read FD_CLOEXEC through it (InheritanceObserved).
TEST(InheritMarker, ALinuxHelperDescriptorSaysWhatItsCloseOnExecFlagWasReadAs) {
    Session session;
    NullCommands commands;
    DescriptorsModel model(session, commands);
    const DescriptorRef fd{kA, Handle(6)};
    session.append({
        at(1, entry::ProcessStarted{.process = kA, .pid = OsPid(4243), .name = "a"}),
        at(2, entry::SocketIdentified{.socket = kShared,
                                      .identity = 78,
                                      .kind = SocketKindSeen::TcpListener}),
        at(3, entry::DescriptorOpened{fd, kShared, DescriptorOrigin::Created}),
    });
    const int row = rowOf(model, fd);
    ASSERT_GE(row, 0);
    const auto kind = [&] { return model.index(row, DescriptorsModel::KindColumn); };
    EXPECT_EQ(kind().data().toString(), QStringLiteral("TCP listener")); // not read: no claim

    session.append({at(4, entry::InheritanceObserved{fd, Inheritance::Inheritable})});
    EXPECT_EQ(kind().data().toString(), QStringLiteral("TCP listener · no cloexec"));
    EXPECT_TRUE(
        kind().data(Qt::ToolTipRole).toString().contains(QStringLiteral("FD_CLOEXEC clear")));

    session.append({at(5, entry::InheritanceObserved{fd, Inheritance::NotInheritable})});
    EXPECT_EQ(kind().data().toString(), QStringLiteral("TCP listener"));
    EXPECT_TRUE(kind()
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("close-on-exec (FD_CLOEXEC): no program")));
}
