// What every report renders: the journal, the state folded from it, and where and by what it
// was recorded. Live runs and loaded session files make the same input.
#pragma once

#include "model/journal.h"
#include "model/session_format.h"
#include "model/state.h"

#include <cstddef>
#include <functional>
#include <span>
#include <string>

namespace socklens::report {

struct ReportInput {
    std::span<const JournalEntry> journal;
    const State& state;
    SessionHeader session;        ///< the recording's header: kernel, socklens version
    std::int64_t generatedUs = 0; ///< when the report is made (wall clock, µs since the epoch)
};

/// The input for the session this process is running now.
ReportInput liveReportInput(const Journal& journal, const State& state);

/// The Wine version a Winsock helper reported ("Wine 8.0 (Windows 6.1.7601)"); empty when the
/// session had no Winsock helper.
std::string wineVersion(const State& state);

/// Called now and then while a long report is written: `done` of `total` steps.
using ReportProgress = std::function<void(std::size_t done, std::size_t total)>;

} // namespace socklens::report
