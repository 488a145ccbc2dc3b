#include "report/report_input.h"

namespace socklens::report {

ReportInput liveReportInput(const Journal& journal, const State& state) {
    return ReportInput{journal.entries(), state, currentSessionHeader(), wallClockMicros()};
}

std::string wineVersion(const State& state) {
    for (const auto& [id, process] : state.processes) {
        if (process.platform == Platform::WinsockWine && !process.osVersion.empty())
            return process.osVersion;
    }
    return {};
}

} // namespace socklens::report
