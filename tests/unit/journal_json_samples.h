// For the journal JSON tests (test_journal_json_*.cpp): one entry payload of every type, every
// field away from its default, and an entry around a payload.
#pragma once

#include "model/journal_entry.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace socklens::journal_json_samples {

constexpr ProcessId kCreator{1};
constexpr ProcessId kWorker{2};
constexpr OsPid kCreatorPid{1001};
constexpr OsPid kWorkerPid{1002};
constexpr SocketId kConn{3};
constexpr DuplicationId kDup{4};
constexpr DescriptorRef kCreatorConn{kCreator, Handle(5)};
constexpr DescriptorRef kWorkerConn{kWorker, Handle(7)};

// ---- one entry of every type -----------------------------------------------------------

/// One payload of every alternative, every field away from its default.
inline std::vector<EntryPayload> samplePayloads() {
    return {
        entry::CommandIssued{"duplicate creator:5 into worker"},
        entry::CommandFailed{"duplicate P1:9 into P2", "sendmsg", "EBADF",
                             "P1:9 is not an open descriptor"},
        entry::ProcessStarted{kWorker, kWorkerPid, "worker", Platform::WinsockWine, false,
                              "Wine 8.0"},
        entry::ProcessExited{kWorker, "killed by signal 9 (SIGKILL)"},
        entry::SocketIdentified{kConn, 0x1234'5678'9abcULL, SocketKindSeen::TcpConnected, 10, 1, 6,
                                "[::1]:4711", "[::1]:50022", "ESTABLISHED"},
        entry::DescriptorOpened{kWorkerConn, kConn, DescriptorOrigin::Duplicated},
        entry::DescriptorClosed{kCreatorConn, DescriptorEnd::ObservedGone},
        entry::DuplicationStarted{kDup, kConn, kCreatorConn, kWorker,
                                  DuplicationMechanism::WsaDuplicateSocket, true},
        entry::HandoffStep{kDup, 5, HandoffActor::Broker, "passes the protocol info", "01 02 ff"},
        entry::ReferenceInFlight{kDup, kConn},
        entry::DuplicationFinished{kDup, kWorkerConn, "WSAEINVAL: bad pid"},
        entry::OptionSet{kWorkerConn, SocketOption::Linger, -1, 7},
        entry::OptionObserved{kCreatorConn, SocketOption::IpTtl, 17, 95},
        entry::RegistrationMade{kConn, kWorkerConn, FdRead | FdWrite,
                                RegistrationMechanism::WsaAsyncSelect},
        entry::OwnerObserved{kConn, kCreatorConn, kWorkerPid, kWorker},
        entry::EventDelivered{kWorkerConn, kConn, FdWrite, FdRead | FdWrite, -4},
        entry::DataSent{kCreatorConn, "quote \" backslash \\ tab \t newline \n nul " +
                                          std::string(1, '\0') + " ü"},
        entry::DataReceived{kWorkerConn, "received"},
        entry::CountObserved{
            kConn, 2, 1, {{kCreator, kCreatorPid, Handle(5)}, {kWorker, kWorkerPid, Handle(7)}}},
        entry::Disagreement{"count of S3", "2", "1"},
        entry::Problem{"worker sent a bad frame: length 4294967295"},
        entry::ScenarioStarted{"handoff", "builtin:handoff"},
        entry::StepStarted{12, "close conn", {"C6", "C11"}},
        entry::StepFinished{12, false, "count is 2", {"C6"}, {Sequence(9), Sequence(11)}},
        entry::ScenarioFinished{false, "1 step(s) failed"},
        entry::OptionsObserved{kWorkerConn,
                               {{SocketOption::RcvBuf, 212992, 0}, {SocketOption::IpTtl, 0, 95}}},
        entry::SocketLifetimeObserved{kConn, true, "ESTABLISHED", "a note"},
        entry::ProcessAttached{kWorker, "tree of pid 1001", "another user's process"},
        entry::DescriptorObserved{kWorkerConn, true, true, true, "epoll fd 4: read", 3, 9},
        entry::ProvenanceObserved{kWorkerConn, kConn, "inherited at fork", "a child of pid 1001"},
        entry::InheritanceObserved{kWorkerConn, Inheritance::NotInheritable},
    };
}

inline JournalEntry entryOf(EntryPayload payload, std::uint64_t sequence = 42) {
    return JournalEntry{Sequence(sequence), 1'700'000'000'123'456, std::move(payload)};
}

} // namespace socklens::journal_json_samples
