// The engine benchmarks at scale: one observation tick, the bare /proc scan and `ss -anp`
// over 16 helpers x 256 descriptors, and a duplicate in that session.
#pragma once

#include "broker/broker.h"
#include "broker_benchmarks.h"
#include "sample_statistics.h"

#include <benchmark/benchmark.h>
#include <cstddef>
#include <vector>

namespace socklens::bench {

constexpr int kHelpers = 16;
constexpr SocketKind kScaleKind = SocketKind::TcpPair;
/// Two descriptors per pair: 128 gives 256 per helper. `ctest -L bench` passes a smaller
/// --socklens_pairs_per_helper: it only checks that the benchmarks run.
extern int g_pairsPerHelper;

/// Built once, by the first benchmark that needs it, through the broker's own commands.
struct ScaleSession {
    Clock::time_point journaled;
    broker::Broker broker{benchOptions()};
    std::vector<ProcessId> helpers;
    std::vector<double> createMicros; ///< every createSocket in order: cost vs session size
    double setupSeconds = 0;
    std::size_t descriptors = 0;
};

/// The scale session if a benchmark built it, else null.
const ScaleSession* builtScaleSession();

/// Ends the scale session (its helpers) before the benchmark library shuts down.
void endScaleSession();

/// Whether `ss` (iproute2) is installed: without it there is no ss baseline.
bool haveSs();

void observeScale(benchmark::State& state);
void procScanScale(benchmark::State& state);
void ssScale(benchmark::State& state);
void duplicateScale(benchmark::State& state);

} // namespace socklens::bench
