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

/// Whether a journal holds every entry, or hands each to its listeners and keeps only the
/// latest (a consumer that keeps its own copy: the GUI's Session, a session file).
enum class JournalHistory { Kept, ListenersOnly };

class Journal {
public:
    using Listener = std::function<void(const JournalEntry&)>;

    explicit Journal(JournalHistory history = JournalHistory::Kept)
        : history_(history) {}

    /// Appends with the next sequence number and the current wall-clock time.
    const JournalEntry& append(EntryPayload payload);
    /// Appends an entry read back from a session file; its number must follow the last.
    const JournalEntry& appendRecorded(JournalEntry entry);

    /// Every entry so far when the history is kept; empty with ListenersOnly.
    const std::vector<JournalEntry>& entries() const { return entries_; }
    Sequence lastSequence() const { return last_; }
    /// The entry appended last (nullptr before the first), whether or not history is kept.
    const JournalEntry* lastEntry() const;
    void addListener(Listener listener);

    JournalHistory history() const { return history_; }

private:
    const JournalEntry& publish(JournalEntry entry);

    std::vector<JournalEntry> entries_;
    JournalEntry latest_; ///< the last entry, while history is not kept
    Sequence last_;
    JournalHistory history_;
    std::vector<Listener> listeners_;
};

std::int64_t wallClockMicros();

} // namespace socklens
