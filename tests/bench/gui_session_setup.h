// The GUI benchmark's session, built on the broker thread at full scale, and the tick
// (Broker::observe()) timed at that scale.
#pragma once

#include "broker/broker.h"
#include "gui_bench_config.h"

#include <cstddef>
#include <ctime>
#include <string>
#include <sys/types.h>
#include <vector>

namespace socklens::bench {

// Broker::createSocket() ends with an observation of what it made; one socket at a time that is
// fine, but the session is built with Broker::createSockets(), which makes a helper's share in
// one command and observes once, then a single observeAll() reads everything at the end.

struct SetupReport {
    double spawnSeconds = 0;
    double createSeconds = 0;       ///< the requests and their journaling, no observe()
    double firstObserveSeconds = 0; ///< the first tick at full scale (journals every count)
    double publicCreateSeconds = 0; ///< one Broker::createSocket() at full scale, as the GUI's
    std::size_t createdDescriptors = 0;
    std::vector<pid_t> helperPids;
    clockid_t engineClock = CLOCK_THREAD_CPUTIME_ID;
    std::string error;
};

void buildSession(broker::Broker& broker, const Config& config, SetupReport& report);

struct TickReport {
    std::vector<double> observeMs;
    double brokerCpuMsPerTick = 0;  ///< the engine thread
    double helpersCpuMsPerTick = 0; ///< all helpers together
    std::vector<double> procScanMs; ///< sysmap::scanSocketHolders() alone, same sockets
    std::size_t entriesPerTick = 0; ///< a steady session should journal nothing
    std::size_t brokerJournalCapacity = 0;
};

/// Times config.ticks observe() calls, and as many bare /proc scans of the same sockets.
void timeTicks(broker::Broker& broker, const Config& config, const SetupReport& setup,
               TickReport& report);

/// The CPU time of all the helpers together, in seconds.
double helpersCpuSeconds(const std::vector<pid_t>& helperPids);

} // namespace socklens::bench
