// What one batch of journal entries touched, so item models update only those rows
// instead of resetting (selection, scroll position and open editors survive).
#pragma once

#include "model/journal_entry.h"

#include <set>
#include <span>

namespace socklens::ui {

struct ChangeSet {
    std::set<ProcessId> processes;
    std::set<SocketId> sockets;
    std::set<DescriptorRef> descriptors;
    std::set<DuplicationId> duplications;
    bool structure = false;   ///< something opened, closed, joined or left: row sets may differ
    bool everySocket = false; ///< a process left: any socket's holders and count may differ
    bool events = false;      ///< notifications were delivered
    bool steps = false;       ///< scenario steps started or finished

    bool empty() const {
        return processes.empty() && sockets.empty() && descriptors.empty() &&
               duplications.empty() && !structure && !everySocket && !events && !steps;
    }
    void merge(const ChangeSet& other);
};

ChangeSet changesOf(std::span<const JournalEntry> entries);

} // namespace socklens::ui
