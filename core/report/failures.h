// What went wrong in a session, for every report format: commands that failed (with the OS
// call and code when an OS call failed), problems (a helper's bad frame, an unreadable table)
// and helpers that ended. The CSV has them as journal rows; JSON, HTML and PDF list them here.
#pragma once

#include "model/journal_entry.h"

#include <span>
#include <string>
#include <vector>

namespace socklens::report {

struct Failure {
    Sequence at;
    std::string kind; ///< "command", "problem" or "helper ended"
    std::string what; ///< the command, or the helper's name
    std::string call; ///< the OS call that failed; empty when socklens refused
    std::string code; ///< "EBADF", "helper-gone", ...
    std::string sentence;
};

/// In journal order.
std::vector<Failure> failuresOf(std::span<const JournalEntry> journal);

} // namespace socklens::report
