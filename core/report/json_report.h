// The machine-readable report: everything a session showed, with the claims C1-C12 and the
// journal entries that demonstrate them. Schema: docs/report-format.md.
#pragma once

#include "report/report_input.h"

#include <nlohmann/json_fwd.hpp>

namespace socklens::report {

inline constexpr int kJsonReportVersion = 1;

nlohmann::json buildJsonReport(const ReportInput& input);

} // namespace socklens::report
