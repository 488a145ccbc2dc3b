// Every process of the machine read through /proc (process_reading.h), in one pass: the
// holders of every socket descriptor and the processes that could not be read, with why.
// Descriptor flags are read here only where asked and cheap (FlagReading::WhereCheap); the
// map reads the others only for the sockets it shows (machine_map.h, readHolderFlags).
#pragma once

#include "sysmap/process_reading.h"

#include <cstddef>
#include <vector>

namespace socklens::sysmap {

struct MachineScan {
    std::vector<ProcessReading> processes;     ///< by pid; also those without sockets
    std::vector<UnreadableProcess> unreadable; ///< by pid
};

/// `threads`: readers side by side; 0: one per core (at most 4). `flags`: which sockets' flags
/// to read on the way.
MachineScan scanMachine(std::size_t threads = 0, FlagReading flags = FlagReading::None);

} // namespace socklens::sysmap
