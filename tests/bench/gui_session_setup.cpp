#include "gui_session_setup.h"

#include "proc_readings.h"
#include "sample_statistics.h"
#include "sysmap/proc_scan.h"

#include <unordered_set>

namespace socklens::bench {

void buildSession(broker::Broker& broker, const Config& config, SetupReport& report) {
    const Clock::time_point start = Clock::now();
    std::vector<ProcessId> helpers;
    for (int i = 0; i < config.helpers; ++i)
        helpers.push_back(broker.spawnHelper("H" + std::to_string(i)));
    for (ProcessId id : helpers)
        report.helperPids.push_back(pid_t(broker.state().process(id)->pid.value()));
    const Clock::time_point spawned = Clock::now();
    // Helper by helper: each pane's rows arrive at the end of the descriptors model, as they
    // would when a person fills one process after another.
    for (const ProcessId helper : helpers)
        report.createdDescriptors +=
            broker.createSockets(helper, config.kind, std::size_t(config.pairs)).size();
    const Clock::time_point created = Clock::now();
    // Every new descriptor read once, as each createSocket()'s own observation would have.
    broker.observeAll();
    const Clock::time_point observed = Clock::now();
    // What one more socket costs through the public path at this scale (its observe()).
    broker.createSocket(helpers.front(), config.kind);
    report.createdDescriptors += 2;
    report.publicCreateSeconds = seconds(Clock::now() - observed);
    report.spawnSeconds = seconds(spawned - start);
    report.createSeconds = seconds(created - spawned);
    report.firstObserveSeconds = seconds(observed - created);
}

void timeTicks(broker::Broker& broker, const Config& config, const SetupReport& setup,
               TickReport& report) {
    const std::uint64_t entries = broker.journal().lastSequence().value();
    const double engineBefore = threadCpuSeconds(setup.engineClock);
    const double helpersBefore = helpersCpuSeconds(setup.helperPids);
    for (int i = 0; i < config.ticks; ++i) {
        const Clock::time_point start = Clock::now();
        broker.observe();
        report.observeMs.push_back(ms(Clock::now() - start));
    }
    report.brokerCpuMsPerTick =
        1000 * (threadCpuSeconds(setup.engineClock) - engineBefore) / config.ticks;
    report.helpersCpuMsPerTick =
        1000 * (helpersCpuSeconds(setup.helperPids) - helpersBefore) / config.ticks;
    report.entriesPerTick =
        std::size_t(broker.journal().lastSequence().value() - entries) / std::size_t(config.ticks);
    report.brokerJournalCapacity = broker.journal().entries().capacity();

    std::unordered_set<std::uint64_t> identities;
    for (const auto& [id, socket] : broker.state().sockets) {
        if (socket.open)
            identities.insert(socket.identity);
    }
    for (int i = 0; i < config.ticks; ++i) {
        const Clock::time_point start = Clock::now();
        const sysmap::ProcScan scan = sysmap::scanSocketHolders(identities);
        report.procScanMs.push_back(ms(Clock::now() - start));
        (void)scan;
    }
}

double helpersCpuSeconds(const std::vector<pid_t>& helperPids) {
    double total = 0;
    for (pid_t pid : helperPids)
        total += statCpuSeconds("/proc/" + std::to_string(pid) + "/stat");
    return total;
}

} // namespace socklens::bench
