// The engine benchmark's samples: Google Benchmark reports means, latencies are read by their
// medians, so each benchmark also keeps its per-iteration samples (µs) for the summary lines.
#pragma once

#include "proc_readings.h"
#include "sample_statistics.h"

#include <benchmark/benchmark.h>
#include <string>
#include <vector>

namespace socklens::bench {

/// The samples of the last run of the benchmark part named `key`; null when there are none.
const std::vector<double>* samplesOf(const std::string& key);

/// Collects one benchmark part's samples under its key (a rerun, e.g. with
/// --benchmark_repetitions, keeps only its own).
class Samples {
public:
    Samples(benchmark::State& state, const std::string& key);

    void add(Clock::duration elapsed) { values_.push_back(micros(elapsed)); }
    void addMicros(double value) { values_.push_back(value); }

    /// The benchmark's own time is the manual time; these put the median next to the mean.
    void publish(benchmark::State& state, const std::string& prefix = {}) const;

private:
    std::vector<double>& values_;
};

/// CPU time of the calling thread (the broker runs on it), in µs: the work, where the wall
/// clock on a shared machine also holds the wait for a core.
inline double threadCpuMicros() {
    return threadCpuSeconds() * 1e6;
}

void setIterationTime(benchmark::State& state, Clock::duration elapsed);

/// One summary line: the count, median and p90 of `key`'s samples (nothing without samples).
void printLine(const std::string& label, const std::string& key);

/// The ratio of two medians, and whether it meets `target` when one is given.
void printRatio(const std::string& label, const std::string& numerator,
                const std::string& denominator, double target = 0);

/// Median of the first and the last tenth of a series: does the cost drift as the session grows?
void printDrift(const std::string& label, const std::vector<double>& values, double target = 0);

} // namespace socklens::bench
