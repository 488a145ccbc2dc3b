#include "models/session.h"

#include "model/entry_text.h"

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

void Session::append(const std::vector<JournalEntry>& entries) {
    if (entries.empty())
        return;
    const int first = int(journal_.entries().size());
    std::vector<QString> problems;
    for (const JournalEntry& entry : entries) {
        apply(state_, journal_.appendRecorded(entry));
        if (auto sentence = problemOf(entry, state_))
            problems.push_back(*sentence);
    }
    Q_EMIT changed(changesOf(std::span(journal_.entries()).subspan(std::size_t(first))), first,
                   int(entries.size()));
    for (const QString& sentence : problems)
        Q_EMIT problem(sentence);
}

} // namespace socklens::ui
