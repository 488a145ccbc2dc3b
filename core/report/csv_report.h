// The journal as CSV: one row per entry, for spreadsheets and scripts. RFC 4180 quoting;
// columns: seq, time_us, seconds (since the first entry), category, type, text (the line the
// CLI prints), data (the entry's fields as in the session file).
#pragma once

#include "report/report_input.h"

#include <ostream>

namespace socklens::report {

void writeCsvReport(const ReportInput& input, std::ostream& out,
                    const ReportProgress& progress = {});

} // namespace socklens::report
