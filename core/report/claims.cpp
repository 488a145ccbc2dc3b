#include "report/claims.h"

#include <algorithm>
#include <array>

namespace socklens::report {

namespace {

constexpr std::array<const char*, 12> kSummaries{
    "WSADuplicateSocket + IPC + WSASocket gives the target another descriptor of the same socket",
    "threads of one process share a descriptor without duplication",
    "every descriptor can do I/O independently; the processes must coordinate",
    "one process creates and connects sockets, then hands them to workers",
    "setsockopt through one descriptor is visible through getsockopt on all",
    "closing one descriptor frees only it; the socket lives until the last is closed",
    "a registration through any descriptor cancels the previous one, whoever made it",
    "the special WSAPROTOCOL_INFO can be used only once",
    "source and target pass the same flags to WSASocket",
    "WSADuplicateSocket cannot be used on QOS-enabled sockets",
    "the ten-step handoff: connect, ask pid, duplicate, pass, import, exchange, close",
    "errors name the call, the code and the cause",
};

} // namespace

std::string_view toString(ClaimStatus status) {
    switch (status) {
    case ClaimStatus::Demonstrated:
        return "demonstrated";
    case ClaimStatus::NotShown:
        return "not-shown";
    case ClaimStatus::Divergent:
        return "divergent";
    case ClaimStatus::Failed:
        return "failed";
    case ClaimStatus::NotRun:
        return "not-run";
    }
    return "not-run";
}

namespace {

bool isReadingIn(std::span<const JournalEntry> journal, Sequence at) {
    const auto found = std::lower_bound(
        journal.begin(), journal.end(), at,
        [](const JournalEntry& entry, Sequence wanted) { return entry.sequence < wanted; });
    return found != journal.end() && found->sequence == at && isOsReading(found->payload);
}

} // namespace

std::vector<ClaimResult> evaluateClaims(const State& state, std::span<const JournalEntry> journal) {
    std::vector<ClaimResult> results;
    for (std::size_t i = 0; i < kSummaries.size(); ++i) {
        ClaimResult result{"C" + std::to_string(i + 1), kSummaries[i], ClaimStatus::NotRun, {}, {}};
        bool failed = false;
        for (const StepResult& step : state.steps) {
            if (step.running ||
                std::find(step.claims.begin(), step.claims.end(), result.id) == step.claims.end())
                continue;
            failed = failed || !step.passed;
            result.evidence.push_back(step.at);
            result.evidence.insert(result.evidence.end(), step.evidence.begin(),
                                   step.evidence.end());
        }
        std::sort(result.evidence.begin(), result.evidence.end());
        result.evidence.erase(std::unique(result.evidence.begin(), result.evidence.end()),
                              result.evidence.end());
        std::erase(result.evidence, Sequence());
        std::vector<Sequence> divergences;
        if (!result.evidence.empty()) {
            const std::string tag = "(" + result.id + ")";
            for (const JournalEntry& entry : journal) {
                const auto* disagreement = std::get_if<entry::Disagreement>(&entry.payload);
                if (disagreement && disagreement->subject.str().find(tag) != std::string::npos)
                    divergences.push_back(entry.sequence);
            }
        }
        for (const Sequence at : result.evidence) {
            if (isReadingIn(journal, at))
                result.readings.push_back(at);
        }
        result.evidence.insert(result.evidence.end(), divergences.begin(), divergences.end());
        result.readings.insert(result.readings.end(), divergences.begin(), divergences.end());
        for (std::vector<Sequence>* list : {&result.evidence, &result.readings}) {
            std::sort(list->begin(), list->end());
            list->erase(std::unique(list->begin(), list->end()), list->end());
        }
        if (failed)
            result.status = ClaimStatus::Failed;
        else if (!divergences.empty())
            result.status = ClaimStatus::Divergent;
        else if (!result.evidence.empty())
            result.status =
                result.readings.empty() ? ClaimStatus::NotShown : ClaimStatus::Demonstrated;
        results.push_back(std::move(result));
    }
    return results;
}

} // namespace socklens::report
