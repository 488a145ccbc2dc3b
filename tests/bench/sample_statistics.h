// The benchmarks' clock and what they make of samples: durations as numbers, percentiles and
// medians.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <vector>

namespace socklens::bench {

using Clock = std::chrono::steady_clock;

inline double micros(Clock::duration elapsed) {
    return std::chrono::duration<double, std::micro>(elapsed).count();
}

inline double ms(Clock::duration elapsed) {
    return std::chrono::duration<double, std::milli>(elapsed).count();
}

inline double seconds(Clock::duration elapsed) {
    return std::chrono::duration<double>(elapsed).count();
}

/// Nearest-rank percentile: the smallest sample with at least `fraction` of them at or below
/// it (the GUI benchmark's latency tails: p99 of 50 samples is the largest but none).
inline double nearestRankPercentile(std::vector<double> values, double fraction) {
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const std::size_t rank =
        std::size_t(std::max(1.0, std::ceil(fraction * double(values.size()))));
    return values[std::min(rank, values.size()) - 1];
}

/// The sample at `fraction` of the way from the smallest to the largest, rounded to the
/// nearest index (the engine benchmark's medians of thousands of samples).
inline double roundedIndexPercentile(std::vector<double> values, double fraction) {
    if (values.empty())
        return 0;
    const auto at = values.begin() + std::ptrdiff_t(fraction * double(values.size() - 1) + 0.5);
    std::nth_element(values.begin(), at, values.end());
    return *at;
}

inline double median(const std::vector<double>& values) {
    return roundedIndexPercentile(values, 0.5);
}

} // namespace socklens::bench
