// The GUI benchmark's report: a phase's GUI-thread figures, the latencies of the probes, and
// the memory of the app and the helpers.
#pragma once

#include "gui_thread_meters.h"
#include "latency_probes.h"
#include "models/session.h"
#include "sample_statistics.h"

#include <cstddef>
#include <string>
#include <sys/types.h>
#include <vector>

namespace socklens::bench {

/// One line: count, p50, p90, p99 and max of `values`, or "(no samples)".
void printDistribution(const char* label, const std::vector<double>& values, const char* unit);

struct PhaseFigures {
    Clock::time_point from;
    Clock::time_point to;
    double guiCpuSeconds = 0;
    double engineCpuSeconds = 0;
    double helpersCpuSeconds = 0;
    BenchApplication::Costs costs;
    std::vector<double> batchMs;
};

void printPhase(const char* title, const PhaseFigures& phase, const BusyMeter& busy);

/// The latencies from each close (`uncommanded` and `commanded` index `probes.all`) to the
/// item models, and their parts; `batchStarts` says when each batch began on the GUI.
void printLatencies(Probes& probes, const std::vector<std::size_t>& uncommanded,
                    const std::vector<std::size_t>& commanded,
                    const std::vector<Clock::time_point>& batchStarts,
                    const std::string& injectionProblem);

/// The app's resident memory at the moments the run passed.
struct RssMarks {
    double startMiB = 0;
    double windowMiB = 0; ///< the window shown
    double builtMiB = 0;  ///< the session built
};

/// Peak and current memory of the app, its journals, and the helpers'.
void printMemory(const RssMarks& rss, const ui::Session& session, std::size_t brokerJournalCapacity,
                 const std::vector<pid_t>& helperPids);

} // namespace socklens::bench
