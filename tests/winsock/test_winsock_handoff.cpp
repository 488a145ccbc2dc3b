// The built-in handoff on real Winsock (Wine): the claims it demonstrates, each checked against
// what Winsock and the Windows object manager reported, not against the broker's bookkeeping.
#include "report/claims.h"
#include "scenario/scenario_runner.h"
#include "winsock_test.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace socklens;

namespace {

class WinsockHandoff : public wintest::WinsockTest {
protected:
    void SetUp() override {
        WinsockTest::SetUp();
        if (HasFatalFailure())
            return;
        scenario::ScenarioRunner runner(broker_, scenario::loadScenario("builtin:handoff"));
        result_ = runner.run();
    }

    template <class Entry> std::vector<Entry> entries() {
        std::vector<Entry> found;
        for (const JournalEntry& entry : broker_.journal().entries()) {
            if (const auto* payload = std::get_if<Entry>(&entry.payload))
                found.push_back(*payload);
        }
        return found;
    }

    const DuplicationState& firstDuplication() const {
        return broker_.state().duplications.begin()->second;
    }

    broker::Broker broker_{wintest::winsockOptions()};
    scenario::RunResult result_;
};

} // namespace

TEST_F(WinsockHandoff, PassesAndDemonstratesItsClaims) {
    EXPECT_TRUE(result_.passed) << result_.firstFailure;
    std::map<std::string, report::ClaimStatus> status;
    for (const report::ClaimResult& claim :
         report::evaluateClaims(broker_.state(), broker_.journal().entries()))
        status[claim.id] = claim.status;
    for (const char* id : {"C1", "C3", "C5", "C6", "C7", "C11", "C12"})
        EXPECT_EQ(status[id], report::ClaimStatus::Demonstrated) << id;
    // socklens refuses a second use; Wine accepts it: the claim is shown as a divergence.
    EXPECT_EQ(status["C8"], report::ClaimStatus::Divergent);
    // Lines for the Linux backend are shown as not run, and demonstrate nothing.
    const auto skipped =
        std::count_if(broker_.state().steps.begin(), broker_.state().steps.end(),
                      [](const StepResult& step) { return step.outcome.starts_with("not run: "); });
    EXPECT_EQ(skipped, 2);
}

TEST_F(WinsockHandoff, HelpersAreWindowsProcessesUnderWine) {
    for (const auto& [id, process] : broker_.state().processes) {
        EXPECT_EQ(process.platform, Platform::WinsockWine) << process.name;
        EXPECT_TRUE(process.osVersion.starts_with("Wine ")) << process.osVersion;
        EXPECT_NE(process.osVersion.find("(Windows "), std::string::npos) << process.osVersion;
    }
}

TEST_F(WinsockHandoff, TheProtocolInfoCrossesTheBrokerDecodedAndInHex) {
    const DuplicationState& duplication = firstDuplication();
    EXPECT_EQ(duplication.mechanism, DuplicationMechanism::WsaDuplicateSocket);
    std::vector<std::int32_t> numbers;
    for (const HandoffStepState& step : duplication.steps)
        numbers.push_back(step.step);
    EXPECT_EQ(numbers, (std::vector<std::int32_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));

    const HandoffStepState& exported = duplication.steps.at(4);
    EXPECT_NE(exported.text.find("WSADuplicateSocket("), std::string::npos) << exported.text;
    for (const char* field :
         {"iAddressFamily 2 (AF_INET)", "iSocketType 1 (SOCK_STREAM)", "iProtocol 6 (IPPROTO_TCP)",
          "szProtocol \"TCP/IP\"", "dwServiceFlags1 0x", "628 bytes:\n"})
        EXPECT_NE(exported.detail.find(field), std::string::npos) << field << "\n"
                                                                  << exported.detail;
    // C9: the source used socket(), so the target's WSASocket passes WSA_FLAG_OVERLAPPED.
    const HandoffStepState& imported = duplication.steps.at(6);
    EXPECT_NE(imported.text.find("&info, 0, WSA_FLAG_OVERLAPPED)"), std::string::npos)
        << imported.text;
}

TEST_F(WinsockHandoff, HandleCountRisesAtWsaDuplicateSocketAndFallsAsHandlesClose) {
    const SocketState& shared = broker_.state().sockets.at(firstDuplication().socket);
    std::vector<std::int32_t> counts;
    for (const CountPoint& point : shared.countHistory)
        counts.push_back(point.count);
    // created, the target's handle made by WSADuplicateSocket, imported, closed, closed.
    EXPECT_EQ(counts, (std::vector<std::int32_t>{1, 2, 2, 1, 0}))
        << ::testing::PrintToString(counts);
    // The second reading came before the target held a SOCKET: only the object manager knew.
    const auto observed = entries<entry::CountObserved>();
    const auto beforeImport = std::find_if(observed.begin(), observed.end(), [&](const auto& c) {
        return c.socket == shared.id && c.count == 2;
    });
    ASSERT_NE(beforeImport, observed.end());
    EXPECT_EQ(beforeImport->holders.size(), 1u);
    EXPECT_FALSE(shared.open);
}

TEST_F(WinsockHandoff, TheWorkersRegistrationSilencesTheCreator) {
    const ProcessId creator = firstDuplication().source.process;
    const ProcessId worker = firstDuplication().target;
    const SocketState& shared = broker_.state().sockets.at(firstDuplication().socket);
    ASSERT_GE(shared.registrationHistory.size(), 2u);
    const RegistrationChange& last = shared.registrationHistory.back();
    EXPECT_EQ(last.registration.owner, worker);
    EXPECT_EQ(last.registration.mechanism, RegistrationMechanism::WsaEventSelect);
    ASSERT_TRUE(last.cancelled);
    EXPECT_EQ(last.cancelled->owner, creator);
    bool workerWrite = false;
    for (const DeliveredEvent& event : broker_.state().events) {
        EXPECT_NE(event.descriptor.process, creator) << "the creator was notified";
        workerWrite =
            workerWrite || (event.descriptor.process == worker && (event.events & FdWrite));
    }
    EXPECT_TRUE(workerWrite);
}

TEST_F(WinsockHandoff, ASecondUseIsRefusedAndWhatWineDidIsRecorded) {
    const auto failed = entries<entry::CommandFailed>();
    const auto refusal = std::find_if(failed.begin(), failed.end(),
                                      [](const auto& f) { return f.codeName == "already-used"; });
    ASSERT_NE(refusal, failed.end());
    EXPECT_NE(refusal->sentence.find("used once (C8)"), std::string::npos) << refusal->sentence;
    // Wine 8 accepts the reuse: recorded as a disagreement with the documentation.
    const auto& disagreements = broker_.state().disagreements;
    ASSERT_EQ(disagreements.size(), 1u);
    EXPECT_NE(disagreements[0].subject.find("WSAPROTOCOL_INFO"), std::string::npos);
    EXPECT_NE(disagreements[0].observed.find("accepted it"), std::string::npos)
        << disagreements[0].observed;
}

TEST_F(WinsockHandoff, ABogusPidIsWsaeinvalInASentence) {
    const auto failed = entries<entry::CommandFailed>();
    const auto bogus = std::find_if(failed.begin(), failed.end(),
                                    [](const auto& f) { return f.codeName == "WSAEINVAL"; });
    ASSERT_NE(bogus, failed.end());
    EXPECT_EQ(bogus->call, "WSADuplicateSocket");
    EXPECT_NE(bogus->sentence.find("target process id names no process"), std::string::npos)
        << bogus->sentence;
}

using WinsockCli = wintest::WinsockTest;

namespace {

struct CliOutcome {
    int exitCode = -1;
    std::string output;
};

/// socklens-cli with `arguments`, its stdout and stderr together.
CliOutcome runCli(const std::string& arguments) {
    const std::string command = std::string(SOCKLENS_CLI_PATH) + " " + arguments + " 2>&1";
    CliOutcome outcome;
    FILE* pipe = ::popen(command.c_str(), "r");
    std::array<char, 4096> buffer;
    while (std::size_t read = std::fread(buffer.data(), 1, buffer.size(), pipe))
        outcome.output.append(buffer.data(), read);
    const int status = ::pclose(pipe);
    outcome.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return outcome;
}

} // namespace

TEST_F(WinsockCli, HandoffReportNamesWineAndTheClaims) {
    const std::string report = "/tmp/socklens-winsock-" + std::to_string(::getpid()) + ".json";
    const CliOutcome outcome =
        runCli("run builtin:handoff --backend winsock --quiet --report " + report);
    ASSERT_EQ(outcome.exitCode, 0) << outcome.output;
    std::ifstream file(report);
    const nlohmann::json json = nlohmann::json::parse(file);
    for (const char* id : {"C1", "C3", "C5", "C6", "C7", "C11", "C12"}) {
        EXPECT_EQ(json["claims"][id]["status"], "demonstrated") << id;
        EXPECT_FALSE(json["claims"][id]["evidence"].empty()) << id;
    }
    for (const auto& process : json["processes"])
        EXPECT_TRUE(process["os_version"].get<std::string>().starts_with("Wine ")) << process;
    ::unlink(report.c_str());
}

// Every claim the built-ins show on Linux is shown on real Winsock too, with the backend's
// own lines where the platforms differ (no socketpair, SO_RCVBUF not doubled, WSA codes).
TEST_F(WinsockCli, EveryBuiltinPasses) {
    const CliOutcome list = runCli("list-builtins");
    ASSERT_EQ(list.exitCode, 0) << list.output;
    std::istringstream lines(list.output);
    int count = 0;
    for (std::string line; std::getline(lines, line);) {
        const std::string name = line.substr(0, line.find(' '));
        const CliOutcome outcome = runCli("run builtin:" + name + " --backend winsock --quiet");
        EXPECT_EQ(outcome.exitCode, 0) << name << "\n" << outcome.output;
        ++count;
    }
    EXPECT_GE(count, 10);
}
