#include "models/session.h"

#include "model/entry_text.h"

#include <algorithm>
#include <cstdlib>

namespace socklens::ui {

namespace {

/// The sentence a person should see for entries that report something going wrong.
std::optional<QString> problemOf(const JournalEntry& entry, const State& state) {
    if (std::holds_alternative<entry::CommandFailed>(entry.payload) ||
        std::holds_alternative<entry::Problem>(entry.payload))
        return QString::fromStdString(describeEntry(entry, state)).mid(2); // drop the "! "
    if (const auto* exited = std::get_if<entry::ProcessExited>(&entry.payload)) {
        const ProcessState* process = state.process(exited->process);
        if (process && process->helper)
            return QString::fromStdString(describeEntry(entry, state));
    }
    return std::nullopt;
}

} // namespace

Session::Session(QObject* parent)
    : QObject(parent) {}

void Session::append(std::vector<JournalEntry> entries) {
    if (entries.empty())
        return;
    const int first = int(journal_.entries().size());
    std::vector<QString> problems;
    for (JournalEntry& arrived : entries) {
        const JournalEntry& entry = journal_.appendRecorded(std::move(arrived));
        apply(liveState_, entry);
        if (const auto* step = std::get_if<entry::StepStarted>(&entry.payload))
            stepExpectsTrouble_ = step->troubleExpected;
        else if (std::holds_alternative<entry::StepFinished>(entry.payload))
            stepExpectsTrouble_ = false;
        else if (auto sentence = problemOf(entry, liveState_); sentence && !stepExpectsTrouble_)
            problems.push_back(*sentence);
    }
    // In replay the new rows reach the journal's views; nothing the other views show changed.
    Q_EMIT changed(replaying()
                       ? ChangeSet{}
                       : changesOf(std::span(journal_.entries()).subspan(std::size_t(first))),
                   first, int(entries.size()));
    for (const QString& sentence : problems)
        Q_EMIT problem(sentence);
}

std::span<const JournalEntry> Session::visibleEntries() const {
    const std::span<const JournalEntry> all(journal_.entries());
    return replayEnd_ ? all.first(std::size_t(*replayEnd_)) : all;
}

void Session::replayTo(int count) {
    const int size = int(journal_.entries().size());
    count = std::clamp(count, 0, size);
    const int from = replayEnd_.value_or(size);
    if (replayEnd_ && count == *replayEnd_)
        return;
    const auto entries = std::span<const JournalEntry>(journal_.entries());
    // Forward folds on from where replay stands; backward (or from live) folds from the start.
    int folded = replayEnd_ && count >= *replayEnd_ ? *replayEnd_ : 0;
    if (folded == 0)
        replayState_ = State();
    for (; folded < count; ++folded)
        apply(replayState_, entries[std::size_t(folded)]);
    replayEnd_ = count;
    moveViews(from, count);
}

void Session::returnToLive() {
    if (!replayEnd_)
        return;
    const int from = *replayEnd_;
    replayEnd_.reset();
    replayState_ = State();
    moveViews(from, int(journal_.entries().size()));
}

void Session::moveViews(int from, int to) {
    // Between two points of the journal only what the entries between them name can differ.
    const auto entries = std::span<const JournalEntry>(journal_.entries());
    ChangeSet changes = changesOf(
        entries.subspan(std::size_t(std::min(from, to)), std::size_t(std::abs(to - from))));
    changes.structure = true;
    Q_EMIT changed(changes, int(entries.size()), 0);
    Q_EMIT replayMoved();
}

} // namespace socklens::ui
