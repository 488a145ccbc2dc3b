#include "report/option_propagation.h"

#include <algorithm>
#include <map>

namespace socklens::report {

bool OptionPropagation::propagated() const {
    return !reads.empty() && std::all_of(reads.begin(), reads.end(), [this](const OptionRead& r) {
        return r.errorCode == 0 && r.value == effective;
    });
}

std::vector<OptionPropagation> optionPropagation(std::span<const JournalEntry> journal) {
    std::vector<OptionPropagation> rows;
    std::map<DescriptorRef, SocketId> socketOf; // descriptors are reused, so follow the journal
    std::map<std::pair<SocketId, SocketOption>, std::size_t> latestSet;
    for (const JournalEntry& entry : journal) {
        if (const auto* opened = std::get_if<entry::DescriptorOpened>(&entry.payload)) {
            socketOf[opened->descriptor] = opened->socket;
        } else if (const auto* set = std::get_if<entry::OptionSet>(&entry.payload)) {
            const SocketId socket = socketOf[set->descriptor];
            latestSet[{socket, set->option}] = rows.size();
            rows.push_back({entry.sequence,
                            set->descriptor,
                            socket,
                            set->option,
                            set->requested,
                            set->effective,
                            {}});
        } else if (const auto* read = std::get_if<entry::OptionObserved>(&entry.payload)) {
            const auto found = latestSet.find({socketOf[read->descriptor], read->option});
            if (found == latestSet.end())
                continue;
            OptionPropagation& row = rows[found->second];
            const bool seen = std::any_of(row.reads.begin(), row.reads.end(), [&](const auto& r) {
                return r.through == read->descriptor;
            });
            if (read->descriptor != row.through && !seen)
                row.reads.push_back(
                    {entry.sequence, read->descriptor, read->value, read->errorCode});
        }
    }
    return rows;
}

} // namespace socklens::report
