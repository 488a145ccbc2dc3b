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
    // The first read through each other descriptor after the latest set of that option.
    auto noteRead = [&](Sequence sequence, const DescriptorRef& through,
                        const OptionReading& reading) {
        const auto found = latestSet.find({socketOf[through], reading.option});
        if (found == latestSet.end())
            return;
        OptionPropagation& row = rows[found->second];
        const bool seen = std::any_of(row.reads.begin(), row.reads.end(),
                                      [&](const auto& r) { return r.through == through; });
        if (through != row.through && !seen)
            row.reads.push_back({sequence, through, reading.value, reading.errorCode});
    };
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
            noteRead(entry.sequence, read->descriptor,
                     {read->option, read->value, read->errorCode});
        } else if (const auto* reads = std::get_if<entry::OptionsObserved>(&entry.payload)) {
            for (const OptionReading& reading : reads->readings)
                noteRead(entry.sequence, reads->descriptor, reading);
        }
    }
    return rows;
}

} // namespace socklens::report
