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
    return history_ == JournalHistory::Kept ? &entries_.back() : &latest_;
}

void Journal::addListener(Listener listener) {
    listeners_.push_back(std::move(listener));
}

const JournalEntry& Journal::publish(JournalEntry entry) {
    last_ = entry.sequence;
    if (history_ == JournalHistory::Kept)
        entries_.push_back(std::move(entry));
    else
        latest_ = std::move(entry);
    const JournalEntry& stored = *lastEntry();
    for (const Listener& listener : listeners_)
        listener(stored);
    return stored;
}

} // namespace socklens
