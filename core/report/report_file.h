// Writes the reports core can make by itself, JSON and CSV, to a file. HTML and PDF need Qt
// and live in reports/.
#pragma once

#include "report/report_format.h"
#include "report/report_input.h"

#include <stdexcept>
#include <string>

namespace socklens::report {

/// A report that could not be written; the message is a sentence naming the file.
class ReportError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

bool coreWrites(ReportFormat format);
/// Writes `format` (JSON or CSV) to `path`. Throws ReportError.
void writeCoreReport(ReportFormat format, const ReportInput& input, const std::string& path,
                     const ReportProgress& progress = {});

} // namespace socklens::report
