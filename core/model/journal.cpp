#include "model/journal.h"

#include <chrono>
#include <stdexcept>

namespace socklens {

std::int64_t wallClockMicros() {
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

const JournalEntry& Journal::append(EntryPayload payload) {
    return publish(
        JournalEntry{Sequence(last_.value() + 1), wallClockMicros(), std::move(payload)});
}

const JournalEntry& Journal::appendRecorded(JournalEntry entry) {
    if (entry.sequence.value() != last_.value() + 1)
        throw std::invalid_argument("journal entry " + std::to_string(entry.sequence.value()) +
                                    " does not follow entry " + std::to_string(last_.value()));
    return publish(std::move(entry));
}

const JournalEntry* Journal::lastEntry() const {
    if (!last_.valid())
        return nullptr;
    return keepsHistory_ ? &entries_.back() : &latest_;
}

void Journal::addListener(Listener listener) {
    listeners_.push_back(std::move(listener));
}

void Journal::stopKeepingHistory() {
    if (!keepsHistory_)
        return;
    if (!entries_.empty())
        latest_ = std::move(entries_.back());
    std::vector<JournalEntry>().swap(entries_); // gives the memory back, as clear() would not
    keepsHistory_ = false;
}

const JournalEntry& Journal::publish(JournalEntry entry) {
    last_ = entry.sequence;
    if (keepsHistory_)
        entries_.push_back(std::move(entry));
    else
        latest_ = std::move(entry);
    const JournalEntry& stored = *lastEntry();
    for (const Listener& listener : listeners_)
        listener(stored);
    return stored;
}

} // namespace socklens
