// Every process of the machine read through /proc (process_reading.h), in one pass: the
// holders of every socket descriptor and the processes that could not be read, with why.
#pragma once

#include "sysmap/process_reading.h"

#include <cstddef>
#include <vector>

namespace socklens::sysmap {

struct MachineScan {
    std::vector<ProcessReading> processes;     ///< by pid; also those without sockets
    std::vector<UnreadableProcess> unreadable; ///< by pid
};

struct MachineScanOptions {
    /// Threads reading /proc side by side; 0: one per core (at most 4).
    std::size_t threads = 0;
    /// Read every socket descriptor's fdinfo (close-on-exec, O_NONBLOCK, O_ASYNC).
    bool withFlags = true;
};

MachineScan scanMachine(const MachineScanOptions& options = {});

} // namespace socklens::sysmap
