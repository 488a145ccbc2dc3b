// Writes a report in any of the four formats: JSON and CSV through core, HTML and PDF here.
#pragma once

#include "report/report_format.h"
#include "report/report_input.h"

#include <string>

namespace socklens::reports {

/// Throws report::ReportError with a sentence naming the file.
void writeReport(report::ReportFormat format, const report::ReportInput& input,
                 const std::string& path, const report::ReportProgress& progress = {});

} // namespace socklens::reports
