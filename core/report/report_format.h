// The report formats and how a file name or a --format word chooses one.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace socklens::report {

enum class ReportFormat { Json, Html, Pdf, Csv };

std::string_view toString(ReportFormat format); ///< "json", "html", "pdf", "csv"
std::optional<ReportFormat> reportFormatFromName(std::string_view name);
/// From the file name's extension, case-insensitively: report.HTML is HTML.
std::optional<ReportFormat> reportFormatFromPath(std::string_view path);

} // namespace socklens::report
