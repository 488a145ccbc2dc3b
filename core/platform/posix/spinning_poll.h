// Waiting for an answer expected within microseconds: going to sleep in poll(2) and being
// woken by the answer costs as much again as the answer itself where waking an idle core is
// slow (an interrupt to a halted vCPU: 20-40 µs on a VM). The broker waits for its helpers'
// replies so, and the benchmarks' bare round trip waits the same way (docs/performance.md).
#pragma once

#include <chrono>
#include <poll.h>
#include <span>

namespace socklens::platform {

/// How long to look for an answer expected soon before sleeping.
inline constexpr std::chrono::microseconds kAnswerSpin{100};

/// poll(2) for up to `waitMs` (-1: no limit), asking first without sleeping until
/// `spinUntil`, and yielding the core between the asks so that the process that is to answer
/// runs there if it is waiting for it.
int pollSpinningFirst(std::span<pollfd> fds, int waitMs,
                      std::chrono::steady_clock::time_point spinUntil);

} // namespace socklens::platform
