#include "report/failures.h"

#include <map>

namespace socklens::report {

std::vector<Failure> failuresOf(std::span<const JournalEntry> journal) {
    std::vector<Failure> failures;
    std::map<ProcessId, const entry::ProcessStarted*> processes;
    for (const JournalEntry& entry : journal) {
        if (const auto* started = std::get_if<entry::ProcessStarted>(&entry.payload))
            processes[started->process] = started;
        else if (const auto* failed = std::get_if<entry::CommandFailed>(&entry.payload))
            failures.push_back(Failure{entry.sequence, "command", failed->command, failed->call,
                                       failed->codeName, failed->sentence});
        else if (const auto* problem = std::get_if<entry::Problem>(&entry.payload))
            failures.push_back(Failure{entry.sequence, "problem", {}, {}, {}, problem->sentence});
        else if (const auto* exited = std::get_if<entry::ProcessExited>(&entry.payload)) {
            // Processes found holding a socket come and go; a helper's end is news.
            const auto found = processes.find(exited->process);
            if (found != processes.end() && found->second->helper)
                failures.push_back(Failure{entry.sequence,
                                           "helper ended",
                                           found->second->name.str(),
                                           {},
                                           {},
                                           exited->reason});
        }
    }
    return failures;
}

} // namespace socklens::report
