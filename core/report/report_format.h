// The report formats — one table — and how a file name or a --format word chooses one.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace socklens::report {

enum class ReportFormat { Json, Html, Pdf, Csv };

/// One line of the table: everything a save dialog, the CLI's help and its errors say.
struct ReportFormatTraits {
    ReportFormat format;
    std::string_view name;        ///< "pdf": the --format word and the file extension
    std::string_view description; ///< "PDF report": a save dialog's filter
    bool needsQt;                 ///< HTML and PDF are drawn with Qt (reports/)
};

/// Every format, in the order sentences list them.
std::span<const ReportFormatTraits> allReportFormats();
const ReportFormatTraits& traitsOf(ReportFormat format);
std::string_view toString(ReportFormat format); ///< "json", "html", "pdf", "csv"
/// "json, html, pdf or csv"; with prefix ".": ".json, .html, .pdf or .csv".
std::string reportFormatNames(std::string_view prefix = {});
std::optional<ReportFormat> reportFormatFromName(std::string_view name);
/// From the file name's extension, case-insensitively: report.HTML is HTML.
std::optional<ReportFormat> reportFormatFromPath(std::string_view path);

} // namespace socklens::report
