// The engine benchmarks of one small session (two helpers, one TCP pair): a duplicate, a
// request, 10 000 duplicate + close cycles, and the observation with its /proc scan. The
// duplicate loop and the scan loop serve the scale benchmarks too.
#pragma once

#include "broker/broker.h"
#include "sample_statistics.h"

#include <benchmark/benchmark.h>
#include <cstdint>
#include <string>
#include <unordered_set>

namespace socklens::bench {

/// The broker's options: the helper built beside this benchmark.
broker::BrokerOptions benchOptions();

/// duplicate(source -> target) then close(result) per iteration, with a paired bare round
/// trip; the samples go under `key` (see the definition).
void duplicateLoop(benchmark::State& state, broker::Broker& broker,
                   const Clock::time_point& journaled, const DescriptorRef& source,
                   ProcessId target, const std::string& key, int warmup);

/// Notes when each DuplicationFinished is journaled; the broker itself stays untouched.
void watchDuplications(broker::Broker& broker, Clock::time_point& journaled);

/// The identities of the open sockets of `state`: what a /proc scan looks for.
std::unordered_set<std::uint64_t> openIdentities(const State& state);

/// sysmap::scanSocketHolders() of `identities` per iteration, under `key` and `key` + " cpu".
void scanLoop(benchmark::State& state, const std::unordered_set<std::uint64_t>& identities,
              const std::string& key);

void brokerDuplicate(benchmark::State& state);
void duplicateCloseCycles(benchmark::State& state);
void brokerRequest(benchmark::State& state);
void observeSmall(benchmark::State& state);
void procScanSmall(benchmark::State& state);

} // namespace socklens::bench
