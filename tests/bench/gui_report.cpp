#include "gui_report.h"

#include "proc_readings.h"

#include <algorithm>
#include <cstdio>
#include <malloc.h>
#include <map>
#include <optional>
#include <string_view>
#include <sys/resource.h>
#include <utility>
#include <variant>

namespace socklens::bench {
namespace {

void printCosts(const BenchApplication::Costs& costs, double windowSeconds) {
    std::vector<std::pair<std::string, BenchApplication::Cost>> sorted(costs.begin(), costs.end());
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.second.totalMs > b.second.totalMs; });
    for (std::size_t i = 0; i < sorted.size() && i < 6; ++i) {
        const auto& [key, cost] = sorted[i];
        if (cost.totalMs < 0.5)
            break;
        std::printf("      %-52s %6.1f ms/s  n=%-6zu max %8.1f ms\n", key.c_str(),
                    cost.totalMs / windowSeconds, cost.count, cost.maxMs);
    }
}

} // namespace

void printDistribution(const char* label, const std::vector<double>& values, const char* unit) {
    if (values.empty()) {
        std::printf("  %-58s (no samples)\n", label);
        return;
    }
    std::printf("  %-58s n=%-4zu p50 %8.1f  p90 %8.1f  p99 %8.1f  max %8.1f %s\n", label,
                values.size(), nearestRankPercentile(values, 0.5),
                nearestRankPercentile(values, 0.9), nearestRankPercentile(values, 0.99),
                *std::max_element(values.begin(), values.end()), unit);
}

void printPhase(const char* title, const PhaseFigures& phase, const BusyMeter& busy) {
    const double window = seconds(phase.to - phase.from);
    const BusyMeter::Figures figures = busy.over(phase.from, phase.to);
    std::printf("\n%s (%.1f s):\n", title, window);
    std::printf("  GUI thread busy (dispatcher awake)        mean %5.1f %%   p90 second %5.1f %%   "
                "busiest second %5.1f %%   (target < 25 %%: %s)\n",
                figures.meanPercent, figures.p90SecondPercent, figures.maxSecondPercent,
                figures.maxSecondPercent < 25 ? "met" : "NOT met");
    std::printf("  GUI thread CPU                            %5.1f %%\n",
                100 * phase.guiCpuSeconds / window);
    std::printf("  engine thread CPU (broker)                %5.1f %%\n",
                100 * phase.engineCpuSeconds / window);
    std::printf("  helpers' CPU, all together                %5.1f %% of one CPU\n",
                100 * phase.helpersCpuSeconds / window);
    printDistribution("batches applied by the GUI (Session::append and views)", phase.batchMs,
                      "ms");
    std::printf("    GUI time by event (top-level events only):\n");
    printCosts(phase.costs, window);
}

void printLatencies(Probes& probes, const std::vector<std::size_t>& uncommanded,
                    const std::vector<std::size_t>& commanded,
                    const std::vector<Clock::time_point>& batchStarts,
                    const std::string& injectionProblem) {
    std::vector<double> osToModel, osToRows, osToJournal, journalToModel, journalToBatch,
        batchToModel, commandOsToModel, clickToModel, clickToOs;
    // The batch that carried a probe: the last one the GUI began to apply before the row went.
    auto batchOf = [&](Clock::time_point seen) -> std::optional<Clock::time_point> {
        const auto after = std::upper_bound(batchStarts.begin(), batchStarts.end(), seen);
        if (after == batchStarts.begin())
            return std::nullopt;
        return *std::prev(after);
    };
    std::size_t missing = 0;
    std::string firstError;
    {
        std::lock_guard lock(probes.mutex);
        for (std::size_t index : uncommanded) {
            const Probe& probe = probes.all[index];
            if (!probe.happened || !probe.seen()) {
                ++missing;
                if (firstError.empty())
                    firstError = probe.error;
                continue;
            }
            osToModel.push_back(ms(*probe.modelUpdated() - *probe.happened));
            osToRows.push_back(ms(*probe.rowRemoved - *probe.happened));
            if (probe.journaled) {
                osToJournal.push_back(ms(*probe.journaled - *probe.happened));
                journalToModel.push_back(ms(*probe.modelUpdated() - *probe.journaled));
                if (const auto batch = batchOf(*probe.rowRemoved);
                    batch && *batch >= *probe.journaled) {
                    journalToBatch.push_back(ms(*batch - *probe.journaled));
                    batchToModel.push_back(ms(*probe.modelUpdated() - *batch));
                }
            }
        }
        for (std::size_t index : commanded) {
            const Probe& probe = probes.all[index];
            if (!probe.happened || !probe.seen()) {
                ++missing;
                continue;
            }
            commandOsToModel.push_back(ms(*probe.modelUpdated() - *probe.happened));
            clickToModel.push_back(ms(*probe.modelUpdated() - *probe.posted));
            clickToOs.push_back(ms(*probe.happened - *probe.posted));
        }
    }
    std::printf("\nlatency from an OS change to the item models (both DescriptorsModel row removed "
                "and SocketsModel row changed):\n");
    if (!injectionProblem.empty())
        std::printf("  uncommanded closes skipped: %s\n", injectionProblem.c_str());
    printDistribution("close in a helper the broker did not command -> models", osToModel, "ms");
    printDistribution("  (DescriptorsModel row removed only)", osToRows, "ms");
    printDistribution("  close -> the tick journals it (broker thread)", osToJournal, "ms");
    printDistribution("  journaled -> models (flush, queue, GUI)", journalToModel, "ms");
    printDistribution("    journaled -> its batch starts on the GUI (flush, queue)", journalToBatch,
                      "ms");
    printDistribution("    batch starts -> both models show it (fold, models)", batchToModel, "ms");
    printDistribution("Engine::close: close in the helper -> models", commandOsToModel, "ms");
    printDistribution("Engine::close: call -> close in the helper", clickToOs, "ms");
    printDistribution("Engine::close: call -> models (what a user waits for)", clickToModel, "ms");
    const double p99 =
        nearestRankPercentile(osToModel.empty() ? commandOsToModel : osToModel, 0.99);
    std::printf("  p99 OS change -> models: %.0f ms (target < 100 ms: %s)\n", p99,
                p99 < 100 ? "met" : "NOT met");
    if (missing)
        std::printf("  %zu probe(s) never reached the models%s%s\n", missing,
                    firstError.empty() ? "" : ": ", firstError.c_str());
}

void printMemory(const RssMarks& rss, const ui::Session& session, std::size_t brokerJournalCapacity,
                 const std::vector<pid_t>& helperPids) {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    const double peakMiB = double(usage.ru_maxrss) / 1024.0;
    double helpersRss = 0, helpersPeak = 0;
    for (pid_t pid : helperPids) {
        helpersRss += statusMiB("/proc/" + std::to_string(pid) + "/status", "VmRSS:");
        helpersPeak += statusMiB("/proc/" + std::to_string(pid) + "/status", "VmHWM:");
    }
    std::printf("\nmemory:\n");
    std::printf("  app process (GUI + engine + broker): peak RSS %.0f MiB (target < 400 MiB: %s)\n",
                peakMiB, peakMiB < 400 ? "met" : "NOT met");
    std::printf(
        "    RSS at start %.0f MiB, window shown %.0f MiB, session built %.0f MiB, now %.0f "
        "MiB\n",
        rss.startMiB, rss.windowMiB, rss.builtMiB, statusMiB("/proc/self/status", "VmRSS:"));
    const struct mallinfo2 heap = ::mallinfo2();
    std::printf("    heap in use (malloc) %.0f MiB; journal vectors alone (capacity x %zu B): GUI "
                "%.0f MiB, broker %.0f MiB\n",
                double(heap.uordblks + heap.hblkhd) / 1048576.0, sizeof(JournalEntry),
                double(session.journal().entries().capacity() * sizeof(JournalEntry)) / 1048576.0,
                double(brokerJournalCapacity * sizeof(JournalEntry)) / 1048576.0);
    std::map<std::string_view, std::size_t> kinds;
    for (const JournalEntry& entry : session.journal().entries())
        ++kinds[std::visit(
            [](const auto& payload) {
                return std::string_view(std::decay_t<decltype(payload)>::kName);
            },
            entry.payload)];
    std::vector<std::pair<std::string_view, std::size_t>> byCount(kinds.begin(), kinds.end());
    std::sort(byCount.begin(), byCount.end(),
              [](const auto& a, const auto& b) { return a.second > b.second; });
    std::printf(
        "    journal: %zu entries, in the GUI's Session only (the engine's broker keeps none):",
        session.journal().entries().size());
    for (std::size_t i = 0; i < byCount.size() && i < 5; ++i)
        std::printf("%s %s %zu", i ? "," : "", std::string(byCount[i].first).c_str(),
                    byCount[i].second);
    std::printf("\n");
    std::printf("  helpers, all %d together: RSS %.0f MiB, sum of their peaks %.0f MiB\n",
                int(helperPids.size()), helpersRss, helpersPeak);
}

} // namespace socklens::bench
