// The journal as CSV: one row per entry, for spreadsheets and scripts. RFC 4180 quoting;
// columns: seq, time_us, seconds (since the first entry), category, type, text (the line the
// CLI prints), data (the entry's fields as in the session file).
#pragma once

#include "report/report_input.h"

#include <ostream>
#include <string>
#include <string_view>

namespace socklens::report {

/// One CSV field in RFC 4180 quotes, inner quotes doubled.
std::string csvQuoted(std::string_view field);
/// A field as it must be written: quoted only when it holds a comma, a quote or a line end.
std::string csvField(std::string_view field);

void writeCsvReport(const ReportInput& input, std::ostream& out,
                    const ReportProgress& progress = {});

} // namespace socklens::report
