#include "model/journal.h"

#include <chrono>
#include <stdexcept>

namespace socklens {

std::int64_t wallClockMicros() {
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

const JournalEntry& Journal::append(EntryPayload payload) {
    entries_.push_back(
        JournalEntry{Sequence(lastSequence().value() + 1), wallClockMicros(), std::move(payload)});
    return publish();
}

const JournalEntry& Journal::appendRecorded(JournalEntry entry) {
    if (entry.sequence.value() != lastSequence().value() + 1)
        throw std::invalid_argument("journal entry " + std::to_string(entry.sequence.value()) +
                                    " does not follow entry " +
                                    std::to_string(lastSequence().value()));
    entries_.push_back(std::move(entry));
    return publish();
}

Sequence Journal::lastSequence() const {
    return entries_.empty() ? Sequence() : entries_.back().sequence;
}

void Journal::addListener(Listener listener) {
    listeners_.push_back(std::move(listener));
}

const JournalEntry& Journal::publish() {
    const JournalEntry& entry = entries_.back();
    for (const Listener& listener : listeners_)
        listener(entry);
    return entry;
}

} // namespace socklens
