#include "model/journal_entry.h"

namespace socklens {

std::string_view nameOf(const EntryPayload& payload) {
    return std::visit([](const auto& entry) { return std::decay_t<decltype(entry)>::kName; },
                      payload);
}

EntryCategory categoryOf(const EntryPayload& payload) {
    return std::visit(
        [](const auto& entry) {
            using T = std::decay_t<decltype(entry)>;
            if constexpr (std::is_same_v<T, entry::CommandIssued> ||
                          std::is_same_v<T, entry::CommandFailed>)
                return EntryCategory::Command;
            else if constexpr (std::is_same_v<T, entry::OptionObserved> ||
                               std::is_same_v<T, entry::OptionsObserved> ||
                               std::is_same_v<T, entry::OwnerObserved> ||
                               std::is_same_v<T, entry::DescriptorObserved> ||
                               std::is_same_v<T, entry::InheritanceObserved> ||
                               std::is_same_v<T, entry::ProvenanceObserved> ||
                               std::is_same_v<T, entry::CountObserved> ||
                               std::is_same_v<T, entry::SocketLifetimeObserved> ||
                               std::is_same_v<T, entry::Disagreement>)
                return EntryCategory::Observation;
            else if constexpr (std::is_same_v<T, entry::ScenarioStarted> ||
                               std::is_same_v<T, entry::StepStarted> ||
                               std::is_same_v<T, entry::StepFinished> ||
                               std::is_same_v<T, entry::ScenarioFinished>)
                return EntryCategory::Scenario;
            else
                return EntryCategory::Fact;
        },
        payload);
}

bool isOsReading(const EntryPayload& payload) {
    if (const auto* count = std::get_if<entry::CountObserved>(&payload))
        return !count->inferred;
    if (std::holds_alternative<entry::ProvenanceObserved>(payload))
        return false; // how a process most likely got a descriptor: a conclusion from readings
    if (categoryOf(payload) == EntryCategory::Observation)
        return true;
    if (const auto* failed = std::get_if<entry::CommandFailed>(&payload))
        return !failed->call.empty(); // an OS call failed, not a refusal by socklens
    return std::holds_alternative<entry::EventDelivered>(payload) ||
           std::holds_alternative<entry::DataReceived>(payload) ||
           std::holds_alternative<entry::OptionSet>(payload); // `effective` is read back
}

std::string_view toString(EntryCategory category) {
    switch (category) {
    case EntryCategory::Command:
        return "command";
    case EntryCategory::Fact:
        return "fact";
    case EntryCategory::Observation:
        return "observation";
    case EntryCategory::Scenario:
        return "scenario";
    }
    return "unknown";
}

} // namespace socklens
