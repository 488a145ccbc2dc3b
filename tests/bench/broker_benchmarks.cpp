#include "broker_benchmarks.h"

#include "benchmark_samples.h"
#include "model/journal_entry.h"
#include "round_trip_peer.h"
#include "sysmap/proc_scan.h"

#include <stdexcept>
#include <variant>

namespace socklens::bench {

broker::BrokerOptions benchOptions() {
    broker::BrokerOptions options;
    options.helperPath = SOCKLENS_HELPER_PATH;
    return options;
}

/// Runs duplicate(source -> target) then close(result) per iteration. Samples per iteration:
/// "command" ends when DuplicationFinished is journaled (the target holds the fd and the journal
/// has it), "full" when duplicate() returns (after its post-command observe(), as users see
/// it), and the close on its own. The reported (manual) time is the full duplicate. A bare
/// round trip between iterations is the paired baseline: load on this shared machine moves
/// both alike, so their ratio holds better than one against a baseline measured earlier.
void duplicateLoop(benchmark::State& state, broker::Broker& broker,
                   const Clock::time_point& journaled, const DescriptorRef& source,
                   ProcessId target, const std::string& key, int warmup) {
    for (int i = 0; i < warmup; ++i)
        broker.close(broker.duplicate(source, target));
    Samples command(state, key + " command");
    Samples full(state, key + " full");
    Samples close(state, key + " close");
    Samples bare(state, key + " bare");
    Samples fullCpu(state, key + " full cpu");
    RoundTripPeer peer;
    for (auto _ : state) {
        const double cpu = threadCpuMicros();
        const Clock::time_point start = Clock::now();
        const DescriptorRef copy = broker.duplicate(source, target);
        const Clock::time_point returned = Clock::now();
        fullCpu.addMicros(threadCpuMicros() - cpu);
        broker.close(copy);
        close.add(Clock::now() - returned);
        command.add(journaled - start);
        full.add(returned - start);
        setIterationTime(state, returned - start);
        bare.add(peer.roundTrip());
    }
    full.publish(state);
    command.publish(state, "command_");
    close.publish(state, "close_");
    bare.publish(state, "bare_");
}

/// Notes when each DuplicationFinished is journaled; the broker itself stays untouched.
void watchDuplications(broker::Broker& broker, Clock::time_point& journaled) {
    broker.journal().addListener([&journaled](const JournalEntry& entry) {
        if (std::holds_alternative<entry::DuplicationFinished>(entry.payload))
            journaled = Clock::now();
    });
}

void brokerDuplicate(benchmark::State& state) {
    Clock::time_point journaled; // outlives the broker, whose listener writes it
    broker::Broker broker(benchOptions());
    watchDuplications(broker, journaled);
    const ProcessId a = broker.spawnHelper("A");
    const ProcessId b = broker.spawnHelper("B");
    const DescriptorRef connection = broker.createSocket(a, SocketKind::TcpPair).at(0);
    duplicateLoop(state, broker, journaled, connection, b, "duplicate", 20);
}

/// Duplicate then close, 10 000 times in one session: a command must cost the same late in a
/// long session as early on (issue 12: last tenth at most 1.2x the first), not walk every past
/// duplication or descriptor. A bare round trip per cycle is the paired baseline.
void duplicateCloseCycles(benchmark::State& state) {
    broker::Broker broker(benchOptions());
    const ProcessId a = broker.spawnHelper("A");
    const ProcessId b = broker.spawnHelper("B");
    const DescriptorRef connection = broker.createSocket(a, SocketKind::TcpPair).at(0);
    Samples cycles(state, "cycle");
    Samples bare(state, "cycle bare");
    RoundTripPeer peer;
    for (auto _ : state) {
        const Clock::time_point start = Clock::now();
        broker.close(broker.duplicate(connection, b));
        const Clock::duration elapsed = Clock::now() - start;
        cycles.add(elapsed);
        setIterationTime(state, elapsed);
        bare.add(peer.roundTrip());
    }
    cycles.publish(state);
}

/// One broker request with no observation after it (getOption journals, but does not
/// observe): the unit the duplicate's command phase is made of (Hello, export, import).
void brokerRequest(benchmark::State& state) {
    broker::Broker broker(benchOptions());
    const ProcessId a = broker.spawnHelper("A");
    broker.spawnHelper("B");
    const DescriptorRef connection = broker.createSocket(a, SocketKind::TcpPair).at(0);
    for (int i = 0; i < 200; ++i)
        broker.getOption(connection, SocketOption::RcvBuf);
    Samples samples(state, "request");
    Samples bare(state, "request bare");
    RoundTripPeer peer;
    for (auto _ : state) {
        const Clock::time_point start = Clock::now();
        broker.getOption(connection, SocketOption::RcvBuf);
        const Clock::duration elapsed = Clock::now() - start;
        samples.add(elapsed);
        setIterationTime(state, elapsed);
        bare.add(peer.roundTrip());
    }
    samples.publish(state);
    bare.publish(state, "bare_");
}

/// Where the duplicate's time goes: one observation of the same small session, and the /proc
/// scan inside it on its own.
void observeSmall(benchmark::State& state) {
    broker::Broker broker(benchOptions());
    const ProcessId a = broker.spawnHelper("A");
    broker.spawnHelper("B");
    broker.createSocket(a, SocketKind::TcpPair);
    Samples samples(state, "observe small");
    for (auto _ : state) {
        const Clock::time_point start = Clock::now();
        broker.observe();
        const Clock::duration elapsed = Clock::now() - start;
        samples.add(elapsed);
        setIterationTime(state, elapsed);
    }
    samples.publish(state);
}

std::unordered_set<std::uint64_t> openIdentities(const State& state) {
    std::unordered_set<std::uint64_t> identities;
    for (const auto& [id, socket] : state.sockets) {
        if (socket.open)
            identities.insert(socket.identity);
    }
    return identities;
}

void scanLoop(benchmark::State& state, const std::unordered_set<std::uint64_t>& identities,
              const std::string& key) {
    Samples samples(state, key);
    Samples cpuSamples(state, key + " cpu");
    for (auto _ : state) {
        const double cpu = threadCpuMicros();
        const Clock::time_point start = Clock::now();
        const sysmap::ProcScan scan = sysmap::scanSocketHolders(identities);
        const Clock::duration elapsed = Clock::now() - start;
        cpuSamples.addMicros(threadCpuMicros() - cpu);
        if (scan.holders.size() < identities.size())
            throw std::runtime_error("the /proc scan missed holders of the session's sockets");
        samples.add(elapsed);
        setIterationTime(state, elapsed);
    }
    samples.publish(state);
}

void procScanSmall(benchmark::State& state) {
    broker::Broker broker(benchOptions());
    const ProcessId a = broker.spawnHelper("A");
    broker.spawnHelper("B");
    broker.createSocket(a, SocketKind::TcpPair);
    scanLoop(state, openIdentities(broker.state()), "scan small");
}

} // namespace socklens::bench
