// The descriptors open now, by process and by socket, kept from the journal as it grows. The
// state keeps every descriptor a session ever had; the broker's per-command work walks only
// these, so a command costs the same in a long session as in a fresh one.
#pragma once

#include "model/journal_entry.h"

#include <map>
#include <set>

namespace socklens::broker {

class OpenDescriptors {
public:
    /// Follows one journal entry (the broker registers this as a journal listener).
    void follow(const JournalEntry& entry);

    /// The open handles of `process` and the socket each names, in handle order.
    const std::map<Handle, SocketId>& of(ProcessId process) const;
    /// The open descriptors of `socket`.
    const std::set<DescriptorRef>& of(SocketId socket) const;
    /// Sockets with at least one open descriptor.
    const std::map<SocketId, std::set<DescriptorRef>>& bySocket() const { return bySocket_; }

private:
    void closed(const DescriptorRef& ref);

    std::map<ProcessId, std::map<Handle, SocketId>> byProcess_;
    std::map<SocketId, std::set<DescriptorRef>> bySocket_;
};

} // namespace socklens::broker
