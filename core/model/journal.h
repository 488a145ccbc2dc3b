// The session journal: append-only, numbered from 1, timestamped. Listeners see each entry
// as it is appended (the CLI prints, the session file writes, the GUI batches).
#pragma once

#include "model/journal_entry.h"

#include <functional>
#include <vector>

namespace socklens {

class Journal {
public:
    using Listener = std::function<void(const JournalEntry&)>;

    /// Appends with the next sequence number and the current wall-clock time.
    const JournalEntry& append(EntryPayload payload);
    /// Appends an entry read back from a session file; its number must follow the last.
    const JournalEntry& appendRecorded(JournalEntry entry);

    const std::vector<JournalEntry>& entries() const { return entries_; }
    Sequence lastSequence() const;
    void addListener(Listener listener);

private:
    const JournalEntry& publish();

    std::vector<JournalEntry> entries_;
    std::vector<Listener> listeners_;
};

std::int64_t wallClockMicros();

} // namespace socklens
