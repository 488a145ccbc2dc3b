#include "report/report_format.h"

#include <algorithm>
#include <cctype>

namespace socklens::report {

namespace {
constexpr ReportFormatTraits kFormats[] = {
    {ReportFormat::Json, "json", "JSON report", false},
    {ReportFormat::Html, "html", "HTML report, one self-contained file", true},
    {ReportFormat::Pdf, "pdf", "PDF report", true},
    {ReportFormat::Csv, "csv", "CSV of the journal", false},
};
} // namespace

std::span<const ReportFormatTraits> allReportFormats() {
    return kFormats;
}

const ReportFormatTraits& traitsOf(ReportFormat format) {
    for (const ReportFormatTraits& traits : kFormats) {
        if (traits.format == format)
            return traits;
    }
    return kFormats[0]; // unreachable for a declared enumerator: each has a line
}

std::string_view toString(ReportFormat format) {
    return traitsOf(format).name;
}

std::string reportFormatNames(std::string_view prefix) {
    std::string names;
    for (std::size_t i = 0; i < std::size(kFormats); ++i) {
        if (i > 0)
            names += i + 1 == std::size(kFormats) ? " or " : ", ";
        names += std::string(prefix) + std::string(kFormats[i].name);
    }
    return names;
}

std::optional<ReportFormat> reportFormatFromName(std::string_view name) {
    for (const ReportFormatTraits& traits : kFormats) {
        if (traits.name == name)
            return traits.format;
    }
    return std::nullopt;
}

std::optional<ReportFormat> reportFormatFromPath(std::string_view path) {
    const std::size_t dot = path.rfind('.');
    if (dot == std::string_view::npos || path.find('/', dot) != std::string_view::npos)
        return std::nullopt;
    std::string extension(path.substr(dot + 1));
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    if (extension == "htm")
        return ReportFormat::Html;
    return reportFormatFromName(extension);
}

} // namespace socklens::report
