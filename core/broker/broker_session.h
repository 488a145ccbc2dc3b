// What every part of the broker shares: the journal, the state that is its fold, the indexes
// kept beside it, and the ids the broker hands out. Everything the broker does or sees is
// recorded here.
#pragma once

#include "broker/open_descriptors.h"
#include "model/journal.h"
#include "model/state.h"
#include "protocol/messages.h"

#include <map>
#include <string>

namespace socklens::broker {

class BrokerSession {
public:
    explicit BrokerSession(JournalHistory history);
    BrokerSession(const BrokerSession&) = delete;
    BrokerSession& operator=(const BrokerSession&) = delete;

    Journal& journal() { return journal_; }
    const State& state() const { return state_; }
    const OpenDescriptors& open() const { return open_; }

    const JournalEntry& record(EntryPayload payload);
    /// Records the command's failure and throws it as a BrokerError.
    [[noreturn]] void fail(const std::string& command, const std::string& call,
                           const std::string& codeName, const std::string& sentence);

    ProcessId newProcess() { return ProcessId(nextProcess_++); }
    DuplicationId newDuplication() { return DuplicationId(nextDuplication_++); }

    /// The session's socket for what a helper described (identity filled in), journaling it
    /// when it is new or its addresses or TCP state changed.
    SocketId identify(const protocol::SocketDescription& socket);
    /// Duplications of `socket` whose reference is in flight (made, not yet received).
    std::int32_t inFlightOf(SocketId socket) const;

    /// "worker (pid 4242)" and "worker:5", as journal texts name them.
    std::string label(ProcessId process) const;
    std::string describe(const DescriptorRef& descriptor) const;

private:
    void follow(const JournalEntry& entry);

    Journal journal_;
    State state_;
    OpenDescriptors open_;
    std::map<DuplicationId, SocketId> inFlight_;
    std::uint32_t nextProcess_ = 1;
    std::uint32_t nextSocket_ = 1;
    std::uint32_t nextDuplication_ = 1;
};

/// The journal entry that says `socket` is what `described` says.
entry::SocketIdentified socketIdentified(SocketId socket,
                                         const protocol::SocketDescription& described);

} // namespace socklens::broker
