#include "sysmap/machine_scan.h"

#include "sysmap/proc_scan.h"

#include <algorithm>
#include <atomic>
#include <thread>

namespace socklens::sysmap {

namespace {

void readSome(const std::vector<std::int64_t>& pids, std::atomic<std::size_t>& next, bool withFlags,
              MachineScan& out) {
    // Small batches: one process with thousands of descriptors must not leave a thread idle.
    constexpr std::size_t kBatch = 8;
    for (;;) {
        const std::size_t first = next.fetch_add(kBatch);
        if (first >= pids.size())
            return;
        for (std::size_t i = first; i < std::min(first + kBatch, pids.size()); ++i) {
            const auto identity = readProcessIdentity(pids[i]);
            if (!identity)
                continue; // gone before anything of it was read: nothing to report
            ProcessReadResult read = readProcess(*identity, withFlags);
            if (read.reading)
                out.processes.push_back(std::move(*read.reading));
            else if (read.unreadable)
                out.unreadable.push_back(std::move(*read.unreadable));
        }
    }
}

} // namespace

MachineScan scanMachine(const MachineScanOptions& options) {
    const std::vector<std::int64_t> pids = listProcesses();
    std::size_t threads = options.threads;
    if (threads == 0)
        threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
    threads = std::min(threads, std::max<std::size_t>(pids.size() / 16, 1));

    std::atomic<std::size_t> next{0};
    std::vector<MachineScan> parts(threads);
    std::vector<std::jthread> workers;
    for (std::size_t i = 1; i < threads; ++i)
        workers.emplace_back([&, i] { readSome(pids, next, options.withFlags, parts[i]); });
    readSome(pids, next, options.withFlags, parts[0]);
    workers.clear(); // joins

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
