#include "report/report_file.h"

#include "report/csv_report.h"
#include "report/json_report.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

namespace socklens::report {

bool coreWrites(ReportFormat format) {
    return !traitsOf(format).needsQt;
}

void writeCoreReport(ReportFormat format, const ReportInput& input, const std::string& path,
                     const ReportProgress& progress) {
    if (!coreWrites(format))
        throw ReportError("socklens cannot write " + std::string(toString(format)) +
                          " reports without Qt");
    std::ofstream file(path, std::ios::trunc | std::ios::binary);
    if (!file)
        throw ReportError("cannot write the report " + path + ": " + std::strerror(errno));
    if (format == ReportFormat::Csv)
        writeCsvReport(input, file, progress);
    else
        file << buildJsonReport(input).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
             << '\n';
    file.flush();
    if (!file)
        throw ReportError("writing the report " + path + " failed: " + std::strerror(errno));
}

} // namespace socklens::report
