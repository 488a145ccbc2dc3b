#include "platform/posix/spinning_poll.h"

#include <sched.h>

namespace socklens::platform {

int pollSpinningFirst(std::span<pollfd> fds, int waitMs,
                      std::chrono::steady_clock::time_point spinUntil) {
    while (std::chrono::steady_clock::now() < spinUntil) {
        if (const int ready = ::poll(fds.data(), fds.size(), 0); ready != 0)
            return ready;
        ::sched_yield();
    }
    return ::poll(fds.data(), fds.size(), waitMs);
}

} // namespace socklens::platform
