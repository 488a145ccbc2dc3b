// Which of the claims C1-C12 a session demonstrated, from the scenario steps tagged with them.
#pragma once

#include "model/state.h"

#include <map>
#include <string>
#include <vector>

namespace socklens::report {

enum class ClaimStatus { Demonstrated, Failed, NotRun };
std::string_view toString(ClaimStatus status);

struct ClaimResult {
    std::string id;      ///< "C5"
    std::string summary; ///< one line: what the claim says
    ClaimStatus status = ClaimStatus::NotRun;
    std::vector<Sequence> evidence; ///< the steps' entries and the observations they read
};

/// All twelve claims, in order. A claim is demonstrated when every step tagged with it
/// passed, failed when one did not, not run when no step was tagged with it.
std::vector<ClaimResult> evaluateClaims(const State& state);

} // namespace socklens::report
