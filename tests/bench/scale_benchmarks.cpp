#include "scale_benchmarks.h"

#include "benchmark_samples.h"
#include "broker_benchmarks.h"
#include "round_trip_peer.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>

namespace socklens::bench {

int g_pairsPerHelper = 128;

namespace {

std::unique_ptr<ScaleSession> g_scale;

ScaleSession& scaleSession() {
    if (g_scale)
        return *g_scale;
    auto session = std::make_unique<ScaleSession>();
    watchDuplications(session->broker, session->journaled);
    const Clock::time_point start = Clock::now();
    for (int i = 0; i < kHelpers; ++i)
        session->helpers.push_back(
            session->broker.spawnHelper(std::string("H").append(std::to_string(i))));
    for (int pair = 0; pair < g_pairsPerHelper; ++pair) {
        for (ProcessId helper : session->helpers) {
            const Clock::time_point before = Clock::now();
            session->broker.createSocket(helper, kScaleKind);
            session->createMicros.push_back(micros(Clock::now() - before));
        }
    }
    session->setupSeconds = std::chrono::duration<double>(Clock::now() - start).count();
    for (const auto& [ref, descriptor] : session->broker.state().descriptors)
        session->descriptors += descriptor.open ? 1 : 0;
    const std::size_t expected = std::size_t(kHelpers * g_pairsPerHelper * 2);
    if (session->descriptors != expected)
        throw std::runtime_error(std::to_string(session->descriptors) +
                                 " open descriptors in the scale session, expected " +
                                 std::to_string(expected));
    g_scale = std::move(session);
    return *g_scale;
}

} // namespace

const ScaleSession* builtScaleSession() {
    return g_scale.get();
}

void endScaleSession() {
    g_scale.reset();
}

void observeScale(benchmark::State& state) {
    broker::Broker& broker = scaleSession().broker;
    const std::size_t entries = broker.journal().entries().size();
    Samples samples(state, "observe scale");
    Samples cpuSamples(state, "observe scale cpu");
    for (auto _ : state) {
        const double cpu = threadCpuMicros();
        const Clock::time_point start = Clock::now();
        broker.observe();
        const Clock::duration elapsed = Clock::now() - start;
        cpuSamples.addMicros(threadCpuMicros() - cpu);
        samples.add(elapsed);
        setIterationTime(state, elapsed);
    }
    samples.publish(state);
    // A steady system must not grow the journal; if it does, the tick also pays for that.
    state.counters["new_entries"] = double(broker.journal().entries().size() - entries);
}

void procScanScale(benchmark::State& state) {
    scanLoop(state, openIdentities(scaleSession().broker.state()), "scan scale");
}

bool haveSs() {
    return std::system("command -v ss >/dev/null 2>&1") == 0;
}

/// `ss -anp`: every socket of the system with its holders, i.e. what socklens's system map
/// shows. Its output is read to the end, as a consumer would.
void ssScale(benchmark::State& state) {
    if (!haveSs()) {
        state.SkipWithError("ss not found (iproute2 is not installed): no ss baseline");
        return;
    }
    scaleSession();
    Samples samples(state, "ss scale");
    std::size_t lines = 0;
    for (auto _ : state) {
        const Clock::time_point start = Clock::now();
        FILE* pipe = ::popen("ss -anp 2>/dev/null", "r");
        check(pipe != nullptr, "popen(ss -anp)");
        char buffer[1 << 16];
        lines = 0;
        while (std::fgets(buffer, sizeof buffer, pipe))
            ++lines;
        const int status = ::pclose(pipe);
        const Clock::duration elapsed = Clock::now() - start;
        if (status != 0) {
            state.SkipWithError("ss -anp failed");
            break;
        }
        samples.add(elapsed);
        setIterationTime(state, elapsed);
    }
    samples.publish(state);
    state.counters["lines"] = double(lines);
}

void duplicateScale(benchmark::State& state) {
    ScaleSession& session = scaleSession();
    const DescriptorRef source = session.broker.state().descriptors.begin()->first;
    const ProcessId target =
        session.helpers.at(1) == source.process ? session.helpers.at(0) : session.helpers.at(1);
    duplicateLoop(state, session.broker, session.journaled, source, target, "duplicate scale", 1);
}

} // namespace socklens::bench
