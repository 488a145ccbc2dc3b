#include "benchmark_samples.h"

#include <cstdio>
#include <map>

namespace socklens::bench {
namespace {

std::map<std::string, std::vector<double>> g_samples;

} // namespace

const std::vector<double>* samplesOf(const std::string& key) {
    const auto found = g_samples.find(key);
    return found == g_samples.end() || found->second.empty() ? nullptr : &found->second;
}

Samples::Samples(benchmark::State& state, const std::string& key)
    : values_(g_samples[key]) {
    values_.clear();
    values_.reserve(std::size_t(state.max_iterations));
}

void Samples::publish(benchmark::State& state, const std::string& prefix) const {
    state.counters[prefix + "median_us"] = median(values_);
    state.counters[prefix + "p90_us"] = roundedIndexPercentile(values_, 0.9);
}

void setIterationTime(benchmark::State& state, Clock::duration elapsed) {
    state.SetIterationTime(std::chrono::duration<double>(elapsed).count());
}

void printLine(const std::string& label, const std::string& key) {
    const std::vector<double>* values = samplesOf(key);
    if (!values)
        return;
    std::printf("  %-52s n=%-6zu median %10.1f us   p90 %10.1f us\n", label.c_str(), values->size(),
                median(*values), roundedIndexPercentile(*values, 0.9));
}

void printRatio(const std::string& label, const std::string& numerator,
                const std::string& denominator, double target) {
    const std::vector<double>* top = samplesOf(numerator);
    const std::vector<double>* bottom = samplesOf(denominator);
    if (!top || !bottom)
        return;
    const double ratio = median(*top) / median(*bottom);
    std::printf("  %-52s %8.2fx", label.c_str(), ratio);
    if (target > 0)
        std::printf("   (target <= %.0fx: %s)", target, ratio <= target ? "met" : "NOT met");
    std::printf("\n");
}

void printDrift(const std::string& label, const std::vector<double>& values, double target) {
    if (values.size() < 20)
        return;
    const std::size_t tenth = values.size() / 10;
    const std::vector<double> first(values.begin(), values.begin() + std::ptrdiff_t(tenth));
    const std::vector<double> last(values.end() - std::ptrdiff_t(tenth), values.end());
    const double ratio = median(last) / median(first);
    std::printf("  %-52s first tenth %9.1f us, last tenth %9.1f us (%.2fx)", label.c_str(),
                median(first), median(last), ratio);
    if (target > 0)
        std::printf("   (target <= %.1fx: %s)", target, ratio <= target ? "met" : "NOT met");
    std::printf("\n");
}

} // namespace socklens::bench
