// Holders of a Winsock socket outside the helpers, from the system handle table: a Windows
// program that is not a helper takes a copy of a helper's socket (DuplicateHandle); it is named,
// with its handle and inherit flag, in the state, the journal and the JSON report; when it exits
// the holder goes and the count falls.
#include "../integration/cli_runner.h"
#include "report/json_report.h"
#include "wine_program.h"
#include "winsock_test.h"

#include <nlohmann/json.hpp>

using namespace socklens;
using namespace std::chrono_literals;

namespace {

/// handle-taker.exe under Wine, holding a copy of (pid, handle) until its stdin closes.
class HandleTaker : public wintest::WineProgram {
public:
    HandleTaker(std::int64_t windowsPid, std::int64_t handle, bool inherit)
        : WineProgram(SOCKLENS_HANDLE_TAKER_PATH,
                      {std::to_string(windowsPid), std::to_string(handle),
                       inherit ? "inherit" : "no-inherit"}) {}

    /// The value of its copy, as it printed it; -1 if it printed none within `bound`.
    std::int64_t copiedHandle(std::chrono::milliseconds bound) {
        const std::optional<std::string> line = readLine(bound);
        return line ? std::stoll(*line) : -1;
    }
};

class WinsockHolders : public wintest::WinsockTest {
protected:
    broker::Broker broker_{wintest::winsockOptions()};

    /// The outside holder of `socket` in a process named `image`, if there is one.
    std::optional<entry::Holder> outsideHolder(SocketId socket, const std::string& image) const {
        const State& state = broker_.state();
        for (const entry::Holder& holder : state.socket(socket)->holders) {
            const ProcessState* process = state.process(holder.process);
            if (process && !process->helper && process->name == image)
                return holder;
        }
        return std::nullopt;
    }
};

} // namespace

TEST_F(WinsockHolders, AnOutsideCopyIsNamedAndGoesWhenItsProcessEnds) {
    const ProcessId a = broker_.spawnHelper("a");
    const DescriptorRef listener = broker_.createSocket(a, SocketKind::TcpListener).front();
    const SocketId socket = broker_.state().descriptor(listener)->socket;
    EXPECT_EQ(broker_.state().socket(socket)->count, 1);

    HandleTaker taker(broker_.state().process(a)->pid.value(), listener.handle.value(), true);
    const std::int64_t copy = taker.copiedHandle(30s);
    ASSERT_GT(copy, 0) << "handle-taker.exe printed no handle";

    ASSERT_TRUE(broker_.waitUntil(
        [&](const State&) { return outsideHolder(socket, "handle-taker.exe").has_value(); }, 10s))
        << "the outside holder was never named";
    const entry::Holder holder = *outsideHolder(socket, "handle-taker.exe");
    EXPECT_EQ(holder.handle.value(), copy);
    EXPECT_EQ(holder.inheritance, entry::Inheritance::Inheritable);
    // Both pids: the Windows one from the handle table, the Linux one told from /proc.
    EXPECT_EQ(broker_.state().process(holder.process)->linuxPid, taker.linuxPid());
    EXPECT_GT(broker_.state().process(a)->linuxPid.value(), 0);
    const SocketState& seen = *broker_.state().socket(socket);
    EXPECT_EQ(seen.count, 2) << "HandleCount: the helper's SOCKET and the outside copy";
    EXPECT_EQ(seen.holders.size(), 2u);
    // The helper's own handle: socket() makes inheritable handles.
    for (const entry::Holder& h : seen.holders) {
        if (h.process == a) {
            EXPECT_EQ(h.inheritance, entry::Inheritance::Inheritable);
        }
    }
    EXPECT_TRUE(broker_.state().disagreements.empty() ||
                broker_.state().disagreements.back().subject.str().find("handles of socket") ==
                    std::string::npos)
        << "the holders explain the count";

    // The journal names it, and so does the JSON report.
    bool journaled = false;
    for (const JournalEntry& entry : broker_.journal().entries())
        if (const auto* count = std::get_if<entry::CountObserved>(&entry.payload))
            journaled = journaled || std::any_of(count->holders.begin(), count->holders.end(),
                                                 [&](const entry::Holder& h) {
                                                     return h.handle.value() == copy &&
                                                            h.process == holder.process;
                                                 });
    EXPECT_TRUE(journaled);
    const nlohmann::json report =
        report::buildJsonReport(report::liveReportInput(broker_.journal(), broker_.state()));
    bool reported = false;
    for (const nlohmann::json& item : report.at("sockets"))
        for (const nlohmann::json& h : item.at("holders"))
            reported = reported || (h.at("handle") == copy && h.at("inheritance") == "inheritable");
    EXPECT_TRUE(reported) << report.at("sockets").dump();
    EXPECT_NE(report.at("processes").dump().find("handle-taker.exe"), std::string::npos);

    taker.end();
    ASSERT_TRUE(taker.awaitExit(30s));
    ASSERT_TRUE(broker_.waitUntil(
        [&](const State& state) {
            return !outsideHolder(socket, "handle-taker.exe") && state.socket(socket)->count == 1;
        },
        10s))
        << "the holder did not go, or the count did not fall";
    EXPECT_FALSE(broker_.state().process(holder.process)->alive);
}

// Both ways a socket is kept from a child: made with WSA_FLAG_NO_HANDLE_INHERIT, or its flag
// cleared afterwards with SetHandleInformation (no-inherit). The child's holdings are read from
// the system handle table.
TEST_F(WinsockHolders, AChildInheritsOnlyTheInheritableSockets) {
    const ProcessId a = broker_.spawnHelper("a");
    constexpr std::uint32_t kOverlappedNoInherit = 0x81; // WSA_FLAG_OVERLAPPED|NO_HANDLE_INHERIT
    const DescriptorRef plain = broker_.createSocket(a, SocketKind::TcpListener).front();
    const DescriptorRef kept =
        broker_.createSocket(a, SocketKind::TcpListener, kOverlappedNoInherit).front();
    const DescriptorRef cleared = broker_.createSocket(a, SocketKind::TcpListener).front();
    broker_.setInheritable(cleared, false);
    const ProcessId c = broker_.startChild(a, "c", true, 10s);
    const SocketId inherited = broker_.state().descriptor(plain)->socket;
    const SocketId notInherited = broker_.state().descriptor(kept)->socket;
    const SocketId clearedSocket = broker_.state().descriptor(cleared)->socket;

    ASSERT_TRUE(broker_.waitUntil(
        [&](const State& state) {
            const auto& holders = state.socket(inherited)->holders;
            return std::any_of(holders.begin(), holders.end(),
                               [&](const entry::Holder& h) { return h.process == c; });
        },
        10s))
        << "the child was never found holding the inheritable socket";
    const SocketState& left = *broker_.state().socket(notInherited);
    EXPECT_EQ(left.count, 1);
    ASSERT_EQ(left.holders.size(), 1u);
    EXPECT_EQ(left.holders[0].process, a);
    EXPECT_EQ(left.holders[0].inheritance, entry::Inheritance::NotInheritable);
    const SocketState& unflagged = *broker_.state().socket(clearedSocket);
    EXPECT_EQ(unflagged.count, 1) << "SetHandleInformation cleared the flag before the child";
    ASSERT_EQ(unflagged.holders.size(), 1u);
    EXPECT_EQ(unflagged.holders[0].process, a);
    EXPECT_EQ(unflagged.holders[0].inheritance, entry::Inheritance::NotInheritable);
    const SocketState& shared = *broker_.state().socket(inherited);
    EXPECT_EQ(shared.count, 2);
    for (const entry::Holder& holder : shared.holders) {
        EXPECT_EQ(holder.handle, plain.handle) << "an inherited handle keeps its value";
        EXPECT_EQ(holder.inheritance, entry::Inheritance::Inheritable);
    }
    EXPECT_FALSE(broker_.state().process(c)->helper);
    // The helper's own reading through each handle (GetHandleInformation) says the same.
    EXPECT_EQ(broker_.state().descriptor(plain)->inheritance, Inheritance::Inheritable);
    EXPECT_EQ(broker_.state().descriptor(kept)->inheritance, Inheritance::NotInheritable);
    EXPECT_EQ(broker_.state().descriptor(cleared)->inheritance, Inheritance::NotInheritable);
}

TEST_F(WinsockHolders, TheInheritedListenerScenarioNamesTheChild) {
    const auto run =
        socklens::testing::runCli("run builtin:inherited-listener --backend winsock --quiet");
    EXPECT_EQ(run.exitCode, 0) << run.output;
    EXPECT_NE(run.output.find("holders listener == \"c (inheritable)\" (observed c (inheritable))"),
              std::string::npos)
        << run.output;
}
