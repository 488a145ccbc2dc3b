// An option cell says why it stays empty: a helper's is read at the next observation ("…"),
// a process that is no helper (a helper's child, an outside holder) is never read through
// ("not read", with why), an attached process's needs a deep read.
#include "models/null_commands.h"
#include "models/options_matrix_model.h"
#include "models/session.h"

#include <gtest/gtest.h>

using namespace socklens;
using namespace socklens::ui;

namespace {

const ProcessId kHelper(1);
const ProcessId kChild(2);
const SocketId kSocket(1);
const DescriptorRef kThroughHelper{kHelper, Handle(5)};
const DescriptorRef kThroughChild{kChild, Handle(5)};

JournalEntry at(std::uint64_t sequence, EntryPayload payload) {
    return JournalEntry{Sequence(sequence), 0, std::move(payload)};
}

QString cell(const OptionsMatrixModel& model, const DescriptorRef& ref, int role) {
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.keyAt(row) == ref)
            return model.index(row, 0).data(role).toString();
    }
    ADD_FAILURE() << "no row for fd " << ref.handle.value();
    return {};
}

} // namespace

TEST(OptionsNotRead, AChildThatIsNoHelperSaysItsOptionsAreNotReadAndWhy) {
    Session session;
    NullCommands commands;
    OptionsMatrixModel model(session, commands);
    session.append({
        at(1, entry::ProcessStarted{kHelper, OsPid(100), "A", Platform::Linux, true, "6.1"}),
        at(2, entry::ProcessStarted{kChild, OsPid(101), "A-child", Platform::Linux, false, ""}),
        at(3, entry::SocketIdentified{kSocket, 77, SocketKindSeen::TcpListener}),
        at(4, entry::DescriptorOpened{kThroughHelper, kSocket, DescriptorOrigin::Created}),
        at(5, entry::DescriptorOpened{kThroughChild, kSocket, DescriptorOrigin::Observed}),
    });
    model.setSocket(kSocket);
    ASSERT_EQ(model.rowCount(), 2);
    EXPECT_EQ(cell(model, kThroughHelper, Qt::DisplayRole), QStringLiteral("…"));
    EXPECT_EQ(cell(model, kThroughChild, Qt::DisplayRole), QStringLiteral("not read"));
    const QString why = cell(model, kThroughChild, Qt::ToolTipRole);
    EXPECT_TRUE(why.contains(QStringLiteral("A-child"))) << why.toStdString();
    EXPECT_TRUE(why.contains(QStringLiteral("C5"))) << why.toStdString();
}
