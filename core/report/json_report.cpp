#include "report/json_report.h"

#include "report/claims.h"
#include "report/failures.h"
#include "report/handoff_order.h"
#include "report/option_propagation.h"
#include "version.h"

#include <nlohmann/json.hpp>

namespace socklens::report {

namespace {

using nlohmann::json;

json descriptorJson(const DescriptorRef& ref) {
    return {{"process", ref.process.value()}, {"handle", ref.handle.value()}};
}

json registrationJson(const Registration& registration) {
    return {{"owner", registration.owner.value()},
            {"owner_pid", registration.ownerPid.value()},
            {"through", descriptorJson(registration.through)},
            {"mask", eventMaskToString(registration.mask)},
            {"mechanism", toString(registration.mechanism)},
            {"seq", registration.at.value()}};
}

json processesJson(const State& state) {
    json processes = json::array();
    for (const auto& [id, process] : state.processes)
        processes.push_back({{"id", id.value()},
                             {"name", process.name},
                             {"pid", process.pid.value()},
                             {"linux_pid", process.linuxPid.value()},
                             {"platform", toString(process.platform)},
                             {"os_version", process.osVersion},
                             {"helper", process.helper},
                             {"alive", process.alive},
                             {"exit_reason", process.exitReason}});
    return processes;
}

json socketsJson(const State& state) {
    json sockets = json::array();
    for (const auto& [id, socket] : state.sockets) {
        json holders = json::array();
        for (const entry::Holder& holder : socket.holders)
            holders.push_back({{"process", holder.process.value()},
                               {"pid", holder.pid.value()},
                               {"handle", holder.handle.value()},
                               {"inheritance", toString(holder.inheritance)}});
        json history = json::array();
        for (const CountPoint& point : socket.countHistory)
            history.push_back({{"seq", point.at.value()},
                               {"time_us", point.timeUs},
                               {"count", point.count},
                               {"in_flight", point.inFlight},
                               {"alive_without_descriptor", point.withoutDescriptor}});
        json registrations = json::array();
        for (const RegistrationChange& change : socket.registrationHistory) {
            json item = registrationJson(change.registration);
            item["observed_from_os"] = change.observed;
            if (change.cancelled)
                item["cancelled"] = registrationJson(*change.cancelled);
            registrations.push_back(std::move(item));
        }
        sockets.push_back({{"id", id.value()},
                           {"identity", socket.identity},
                           {"kind", socket.kind},
                           {"local", socket.local},
                           {"peer", socket.peer},
                           {"tcp_state", socket.tcpState},
                           {"open", socket.open},
                           {"alive_without_descriptor", socket.withoutDescriptor},
                           {"count", socket.count},
                           {"holders", std::move(holders)},
                           {"count_history", std::move(history)},
                           {"registration", registrationJson(socket.registration)},
                           {"registration_history", std::move(registrations)}});
    }
    return sockets;
}

json optionsJson(const State& state) {
    json readings = json::array();
    for (const auto& [ref, descriptor] : state.descriptors) {
        for (const auto& [option, value] : descriptor.options) {
            json reading{{"descriptor", descriptorJson(ref)},
                         {"socket", descriptor.socket.value()},
                         {"option", toString(option)},
                         {"value", value.value},
                         {"text", describeOptionValue(option, value.value)},
                         {"error_code", value.errorCode},
                         {"seq", value.at.value()}};
            if (value.requested)
                reading["requested"] = *value.requested;
            readings.push_back(std::move(reading));
        }
    }
    return readings;
}

json optionChangesJson(std::span<const JournalEntry> journal) {
    json changes = json::array();
    for (const JournalEntry& entry : journal) {
        if (const auto* set = std::get_if<entry::OptionSet>(&entry.payload))
            changes.push_back({{"seq", entry.sequence.value()},
                               {"descriptor", descriptorJson(set->descriptor)},
                               {"option", toString(set->option)},
                               {"requested", set->requested},
                               {"effective", set->effective}});
    }
    return changes;
}

json propagationJson(std::span<const JournalEntry> journal) {
    json rows = json::array();
    for (const OptionPropagation& row : optionPropagation(journal)) {
        json reads = json::array();
        for (const OptionRead& read : row.reads)
            reads.push_back({{"seq", read.at.value()},
                             {"descriptor", descriptorJson(read.through)},
                             {"value", read.value},
                             {"error_code", read.errorCode}});
        rows.push_back({{"seq", row.at.value()},
                        {"descriptor", descriptorJson(row.through)},
                        {"socket", row.socket.value()},
                        {"option", toString(row.option)},
                        {"requested", row.requested},
                        {"effective", row.effective},
                        {"propagated", row.propagated()},
                        {"reads", std::move(reads)}});
    }
    return rows;
}

json sessionJson(const ReportInput& input) {
    const auto& journal = input.journal;
    return {{"recorded_by", input.session.socklensVersion},
            {"format_version", input.session.formatVersion},
            {"started_us", journal.empty() ? 0 : journal.front().timeUs},
            {"ended_us", journal.empty() ? 0 : journal.back().timeUs}};
}

json eventsJson(const State& state) {
    json events = json::array();
    for (const DeliveredEvent& event : state.events)
        events.push_back({{"seq", event.at.value()},
                          {"time_us", event.timeUs},
                          {"descriptor", descriptorJson(event.descriptor)},
                          {"socket", event.socket.value()},
                          {"events", eventMaskToString(event.events)},
                          {"registered", eventMaskToString(event.registered)}});
    return events;
}

json handoffsJson(const State& state) {
    json handoffs = json::array();
    for (const auto& [id, duplication] : state.duplications) {
        json steps = json::array();
        for (const HandoffStepState& step : stepsInOrder(duplication))
            steps.push_back({{"step", step.step},
                             {"actor", toString(step.actor)},
                             {"text", step.text},
                             {"detail", step.detail},
                             {"seq", step.at.value()},
                             {"time_us", step.timeUs}});
        // What each side passed to WSASocket (C9); 0 for the source: made by socket().
        auto wsaFlags = [&](const DescriptorRef& ref) {
            const DescriptorState* descriptor = state.descriptor(ref);
            return descriptor ? descriptor->wsaFlags : 0u;
        };
        handoffs.push_back({{"id", id.value()},
                            {"socket", duplication.socket.value()},
                            {"source", descriptorJson(duplication.source)},
                            {"source_wsa_flags", wsaFlags(duplication.source)},
                            {"result_wsa_flags", wsaFlags(duplication.result)},
                            {"target", duplication.target.value()},
                            {"mechanism", toString(duplication.mechanism)},
                            {"result", descriptorJson(duplication.result)},
                            {"failure", duplication.failure},
                            {"steps", std::move(steps)}});
    }
    return handoffs;
}

json transfersJson(const State& state) {
    json transfers = json::array();
    for (const DataTransfer& transfer : state.transfers)
        transfers.push_back({{"seq", transfer.at.value()},
                             {"descriptor", descriptorJson(transfer.descriptor)},
                             {"direction", transfer.sent ? "sent" : "received"},
                             {"bytes", transfer.bytes}});
    return transfers;
}

json scenarioJson(const State& state) {
    json steps = json::array();
    for (const StepResult& step : state.steps)
        steps.push_back({{"seq", step.at.value()},
                         {"line", step.line},
                         {"text", step.text},
                         {"passed", step.passed},
                         {"outcome", step.outcome},
                         {"claims", step.claims}});
    json scenario{{"steps", std::move(steps)}};
    if (state.scenario) {
        scenario["name"] = state.scenario->name;
        scenario["source"] = state.scenario->source;
    }
    if (state.scenarioResult) {
        scenario["passed"] = state.scenarioResult->passed;
        scenario["summary"] = state.scenarioResult->summary;
    }
    return scenario;
}

json failuresJson(std::span<const JournalEntry> journal) {
    json failures = json::array();
    for (const Failure& failure : failuresOf(journal))
        failures.push_back({{"seq", failure.at.value()},
                            {"kind", failure.kind},
                            {"what", failure.what},
                            {"call", failure.call},
                            {"code", failure.code},
                            {"sentence", failure.sentence}});
    return failures;
}

json claimsJson(const ReportInput& input) {
    json claims = json::object();
    auto numbers = [](const std::vector<Sequence>& entries) {
        json list = json::array();
        for (Sequence seq : entries)
            list.push_back(seq.value());
        return list;
    };
    for (const ClaimResult& claim : evaluateClaims(input.state, input.journal))
        claims[claim.id] = {{"status", toString(claim.status)},
                            {"summary", claim.summary},
                            {"evidence", numbers(claim.evidence)},
                            {"os_readings", numbers(claim.readings)}};
    return claims;
}

} // namespace

json buildJsonReport(const ReportInput& input) {
    const State& state = input.state;
    const std::string kernel = input.session.kernel.empty()
                                   ? std::string("unknown (the session file does not say)")
                                   : input.session.kernel;
    json report{{"format", "socklens-report"},
                {"format_version", kJsonReportVersion},
                {"socklens_version", kVersion},
                {"generated_us", input.generatedUs},
                {"platform", {{"kernel", kernel}, {"wine", wineVersion(state)}}},
                {"session", sessionJson(input)},
                {"journal_entries", input.journal.size()},
                {"processes", processesJson(state)},
                {"sockets", socketsJson(state)},
                {"option_readings", optionsJson(state)},
                {"option_changes", optionChangesJson(input.journal)},
                {"option_propagation", propagationJson(input.journal)},
                {"events", eventsJson(state)},
                {"data", transfersJson(state)},
                {"handoffs", handoffsJson(state)},
                {"claims", claimsJson(input)},
                {"failures", failuresJson(input.journal)}};
    json disagreements = json::array();
    for (const entry::Disagreement& disagreement : state.disagreements)
        disagreements.push_back({{"subject", disagreement.subject},
                                 {"believed", disagreement.believed},
                                 {"observed", disagreement.observed}});
    report["disagreements"] = std::move(disagreements);
    if (state.scenario)
        report["scenario"] = scenarioJson(state);
    return report;
}

} // namespace socklens::report
