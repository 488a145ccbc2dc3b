// Runs a job over the indices 0..count-1 on a few threads, for reading /proc, where every
// file costs system calls and two cores read about twice as fast as one.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace socklens::sysmap {

/// One thread per core, at most four, and none idle for lack of work.
inline std::size_t readerThreads(std::size_t wanted, std::size_t items) {
    if (wanted == 0)
        wanted = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
    return std::min(wanted, std::max<std::size_t>(items / 16, 1));
}

/// Calls job(thread, index) for every index, in batches of `batch` consecutive indices;
/// `thread` (0..threads-1) lets each thread collect into its own part.
template <class Job>
void parallelFor(std::size_t count, std::size_t threads, std::size_t batch, const Job& job) {
    std::atomic<std::size_t> next{0};
    auto work = [&](std::size_t thread) {
        for (;;) {
            const std::size_t first = next.fetch_add(batch);
            if (first >= count)
                return;
            for (std::size_t i = first; i < std::min(first + batch, count); ++i)
                job(thread, i);
        }
    };
    std::vector<std::jthread> workers;
    for (std::size_t thread = 1; thread < threads; ++thread)
        workers.emplace_back(work, thread);
    work(0);
}

} // namespace socklens::sysmap
