// The machine-readable report: everything a session showed, with the claims C1-C12 and the
// journal entries that demonstrate them. Schema: docs/report-format.md.
#pragma once

#include "model/journal.h"
#include "model/state.h"

#include <nlohmann/json_fwd.hpp>

namespace socklens::report {

inline constexpr int kJsonReportVersion = 1;

nlohmann::json buildJsonReport(const Journal& journal, const State& state);

} // namespace socklens::report
