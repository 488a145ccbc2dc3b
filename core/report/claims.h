// Which of the claims C1-C12 a session demonstrated, from the scenario steps tagged with them
// and the OS readings those steps cite.
#pragma once

#include "model/state.h"

#include <map>
#include <span>
#include <string>
#include <vector>

namespace socklens::report {

enum class ClaimStatus { Demonstrated, Divergent, NotShown, Failed, NotRun };
std::string_view toString(ClaimStatus status);

struct ClaimResult {
    std::string id;      ///< "C5"
    std::string summary; ///< one line: what the claim says
    ClaimStatus status = ClaimStatus::NotRun;
    std::vector<Sequence> evidence; ///< the steps' entries and the observations they read
    std::vector<Sequence> readings; ///< the evidence that is what the OS returned
};

/// All twelve claims, in order. A claim is demonstrated when every step tagged with it
/// passed and their evidence holds at least one OS reading (isOsReading) found in `journal`;
/// not shown when they passed on socklens's own bookkeeping only; divergent when they passed
/// but the OS was seen to behave otherwise (a Disagreement whose subject names the claim, as
/// "(C8)"); failed when a step did not pass; not run when no step was tagged with it.
std::vector<ClaimResult> evaluateClaims(const State& state, std::span<const JournalEntry> journal);

} // namespace socklens::report
