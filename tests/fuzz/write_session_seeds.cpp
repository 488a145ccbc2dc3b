// Writes the session reader's seed corpus: a session of every entry type (format 2), the
// same without checksums (format 1), and a cut one.
#include "model/journal.h"
#include "model/journal_json.h"
#include "model/session_writer.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

using namespace socklens;

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: write_session_seeds DIRECTORY\n";
        return 2;
    }
    const std::filesystem::path folder = argv[1];
    std::filesystem::create_directories(folder);
    const DescriptorRef a{ProcessId(1), Handle(5)};
    const DescriptorRef b{ProcessId(2), Handle(7)};
    Journal journal;
    journal.append(entry::ScenarioStarted{"seed", "seed.scenario"});
    journal.append(
        entry::ProcessStarted{ProcessId(1), OsPid(10), "a", Platform::Linux, true, "6.1"});
    journal.append(entry::ProcessStarted{ProcessId(2), OsPid(11), "b", Platform::WinsockWine, true,
                                         "Wine 8.0"});
    journal.append(entry::SocketIdentified{SocketId(1), 77, SocketKindSeen::TcpConnected, 2, 1, 6,
                                           "1", "2", "ESTABLISHED"});
    journal.append(entry::DescriptorOpened{a, SocketId(1), DescriptorOrigin::Created});
    journal.append(entry::DuplicationStarted{DuplicationId(1), SocketId(1), a, ProcessId(2),
                                             DuplicationMechanism::ScmRights, false});
    journal.append(
        entry::HandoffStep{DuplicationId(1), 5, HandoffActor::Source, "sendmsg", "fd 5"});
    journal.append(entry::ReferenceInFlight{DuplicationId(1), SocketId(1)});
    journal.append(entry::DescriptorOpened{b, SocketId(1), DescriptorOrigin::Duplicated});
    journal.append(entry::DuplicationFinished{DuplicationId(1), b, ""});
    journal.append(entry::CountObserved{SocketId(1), 2, 0, {{ProcessId(1), OsPid(10), Handle(5)}}});
    journal.append(entry::OptionSet{b, SocketOption::RcvBuf, 1, 2});
    journal.append(entry::OptionObserved{a, SocketOption::RcvBuf, 2, 0});
    journal.append(
        entry::RegistrationMade{SocketId(1), a, FdRead, RegistrationMechanism::FcntlSetOwn});
    journal.append(entry::OwnerObserved{SocketId(1), b, OsPid(11), ProcessId(2)});
    journal.append(entry::EventDelivered{b, SocketId(1), FdRead, FdWrite, 1});
    journal.append(entry::DataSent{a, "\xff"});
    journal.append(entry::DataReceived{b, "x"});
    journal.append(entry::Disagreement{"s", "b", "o"});
    journal.append(entry::Problem{"p"});
    journal.append(entry::CommandIssued{"c"});
    journal.append(entry::CommandFailed{"c", "send", "EBADF", "s"});
    journal.append(entry::StepStarted{3, "t", {"C5"}});
    journal.append(entry::StepFinished{3, true, "o", {"C5"}, {Sequence(13)}});
    journal.append(entry::DescriptorClosed{a, DescriptorEnd::Closed});
    journal.append(entry::ProcessExited{ProcessId(1), "killed"});
    journal.append(entry::ScenarioFinished{true, "ok"});

    const std::string full = (folder / "every-entry.jsonl").string();
    {
        SessionWriter writer(full);
        writer.write(journal.entries());
    }
    std::ofstream old(folder / "format-1.jsonl");
    old << R"({"format":"socklens-session","format_version":1,"socklens_version":"0.1.0"})" << '\n';
    for (const JournalEntry& entry : journal.entries())
        old << toJson(entry).dump() << '\n';
    std::ifstream in(full, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    std::ofstream(folder / "cut.jsonl", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
    return 0;
}
