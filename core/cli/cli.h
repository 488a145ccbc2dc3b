// socklens-cli: the engine without a display. Returns the process exit code:
// 0 all expectations held, 1 an expectation or step failed, 2 bad usage, 3 bad input.
#pragma once

#include "report/report_format.h"
#include "report/report_input.h"

#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace socklens::cli {

/// Writes the reports core cannot make itself (HTML, PDF): cli/report_renderer.h's, or none
/// where the renderer is not installed. Throws report::ReportError.
using ReportWriter =
    std::function<void(report::ReportFormat, const report::ReportInput&, const std::string& path)>;

int runCli(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err,
           const ReportWriter& qtReports = {});

} // namespace socklens::cli
