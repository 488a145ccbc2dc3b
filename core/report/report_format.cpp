#include "report/report_format.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace socklens::report {

namespace {
constexpr std::array<std::pair<ReportFormat, std::string_view>, 4> kNames{{
    {ReportFormat::Json, "json"},
    {ReportFormat::Html, "html"},
    {ReportFormat::Pdf, "pdf"},
    {ReportFormat::Csv, "csv"},
}};
} // namespace

std::string_view toString(ReportFormat format) {
    for (const auto& [candidate, name] : kNames) {
        if (candidate == format)
            return name;
    }
    return "json";
}

std::optional<ReportFormat> reportFormatFromName(std::string_view name) {
    for (const auto& [format, candidate] : kNames) {
        if (candidate == name)
            return format;
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
