#include "sysmap/machine_scan.h"

#include "sysmap/parallel_for.h"
#include "sysmap/proc_scan.h"

#include <algorithm>
#include <iterator>

namespace socklens::sysmap {

MachineScan scanMachine(std::size_t threads, FlagReading flags) {
    const std::vector<std::int64_t> pids = listProcesses();
    threads = readerThreads(threads, pids.size());
    std::vector<MachineScan> parts(threads);
    // Small batches: one process with thousands of descriptors must not leave a thread idle.
    parallelFor(pids.size(), threads, 8, [&](std::size_t thread, std::size_t i) {
        const auto identity = readProcessIdentity(pids[i]);
        if (!identity)
            return; // gone before anything of it was read: nothing to report
        ProcessReadResult read = readProcess(*identity, flags);
        if (read.reading)
            parts[thread].processes.push_back(std::move(*read.reading));
        else if (read.unreadable)
            parts[thread].unreadable.push_back(std::move(*read.unreadable));
    });

    MachineScan scan = std::move(parts[0]);
    for (std::size_t i = 1; i < parts.size(); ++i) {
        std::move(parts[i].processes.begin(), parts[i].processes.end(),
                  std::back_inserter(scan.processes));
        std::move(parts[i].unreadable.begin(), parts[i].unreadable.end(),
                  std::back_inserter(scan.unreadable));
    }
    std::sort(scan.processes.begin(), scan.processes.end(),
              [](const auto& a, const auto& b) { return a.identity.pid < b.identity.pid; });
    std::sort(scan.unreadable.begin(), scan.unreadable.end(),
              [](const auto& a, const auto& b) { return a.identity.pid < b.identity.pid; });
    return scan;
}

} // namespace socklens::sysmap
