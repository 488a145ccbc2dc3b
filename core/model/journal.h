// The session journal: append-only, numbered from 1, timestamped. Listeners see each entry
// as it is appended (the CLI prints, the session file writes, the GUI batches).
//
// A journal keeps every entry unless told to stop: one whose listeners keep what they need
// (the app's engine thread, whose entries the GUI's Session keeps and folds) only numbers,
// stamps and passes entries on, and its entries() stays empty. So code that works with any
// broker (core/broker, core/scenario) reads lastSequence() and lastEntry(), never entries();
// only a journal's owner that keeps its history (the CLI and its reports, the GUI's Session,
// tests) reads entries().
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

    /// Every entry so far, while the journal keeps its history; empty once it stopped.
    const std::vector<JournalEntry>& entries() const { return entries_; }
    Sequence lastSequence() const { return last_; }
    /// The entry appended last (nullptr before the first), whether or not history is kept.
    const JournalEntry* lastEntry() const;
    void addListener(Listener listener);

    /// From now on entries go to the listeners only; those kept so far are released.
    void stopKeepingHistory();
    bool keepsHistory() const { return keepsHistory_; }

private:
    const JournalEntry& publish(JournalEntry entry);

    std::vector<JournalEntry> entries_;
    JournalEntry latest_; ///< the last entry, while history is not kept
    Sequence last_;
    bool keepsHistory_ = true;
    std::vector<Listener> listeners_;
};

std::int64_t wallClockMicros();

} // namespace socklens
