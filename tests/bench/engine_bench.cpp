// Engine benchmarks. Every engine figure is measured next to a raw baseline in the same run (a
// bare SCM_RIGHTS round trip, a bare /proc scan, `ss -anp`), so the ratios printed at the end
// mean something on any machine even where the absolute times do not. How to run them and how
// to read them: docs/performance.md.
//
// This file: the summary, the registration and main. The baseline peer is in
// round_trip_peer.cpp, the small-session benchmarks in broker_benchmarks.cpp, those at scale
// in scale_benchmarks.cpp, the samples and their summary lines in benchmark_samples.cpp.
#include "benchmark_samples.h"
#include "broker_benchmarks.h"
#include "proc_readings.h"
#include "round_trip_peer.h"
#include "scale_benchmarks.h"

#include <benchmark/benchmark.h>
#include <charconv>
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>
#include <sys/utsname.h>
#include <unistd.h>

namespace {

using namespace socklens;
using namespace socklens::bench;

void printSummary() {
    utsname system{};
    ::uname(&system);
    std::printf("\n== socklens engine benchmarks: medians of per-iteration samples ==\n");
    const double load = loadAverage();
    std::printf("  machine: %ld CPUs online, %s %s, %zu processes in /proc, load average %.2f\n",
                ::sysconf(_SC_NPROCESSORS_ONLN), system.sysname, system.release, processCount(),
                load);

    std::printf("\nduplicate (2 helpers, one TCP pair in A):\n");
    printLine("bare SCM_RIGHTS round trip (fork, socketpair)", "bare");
    printLine("bare round trip, paired with the duplicates", "duplicate bare");
    printLine("broker.getOption: one request, no observe()", "request");
    printLine("broker.duplicate: command (until journaled)", "duplicate command");
    printLine("broker.duplicate: full, as users see it", "duplicate full");
    printLine("  its broker CPU time", "duplicate full cpu");
    printLine("broker.close: full", "duplicate close");
    printLine("broker.observe() of this session", "observe small");
    printLine("sysmap::scanSocketHolders() of its sockets", "scan small");
    printRatio("one broker request / paired bare round trip", "request", "request bare");
    printRatio("duplicate command / paired bare round trip", "duplicate command", "duplicate bare",
               5);
    printRatio("duplicate full / paired bare round trip", "duplicate full", "duplicate bare", 5);
    printRatio("duplicate command / standalone bare round trip", "duplicate command", "bare", 5);
    printRatio("duplicate full / standalone bare round trip", "duplicate full", "bare", 5);
    printRatio("observe() / bare /proc scan", "observe small", "scan small");
    if (const std::vector<double>* full = samplesOf("duplicate full"))
        printDrift("duplicate full, over the run", *full);

    if (const std::vector<double>* cycles = samplesOf("cycle")) {
        std::printf("\nduplicate + close, %zu cycles in one session:\n", cycles->size());
        printLine("one cycle", "cycle");
        printLine("bare round trip, paired with the cycles", "cycle bare");
        printDrift("one cycle, over the session", *cycles, 1.2);
        if (const std::vector<double>* bare = samplesOf("cycle bare"))
            printDrift("paired bare round trip, over the same time", *bare);
    }

    if (const ScaleSession* scale = builtScaleSession()) {
        std::printf("\nobservation tick (%d helpers x %d descriptors, %s; %zu open descriptors):\n",
                    kHelpers, g_pairsPerHelper * 2, std::string(toString(kScaleKind)).c_str(),
                    scale->descriptors);
        std::printf("  %-52s %8.1f s for %zu createSocket commands\n", "setup through the broker",
                    scale->setupSeconds, scale->createMicros.size());
        printDrift("createSocket, as the session grows", scale->createMicros);
    }
    printLine("broker.observe() (one tick)", "observe scale");
    printLine("  its broker CPU time", "observe scale cpu");
    printLine("sysmap::scanSocketHolders() of the same sockets", "scan scale");
    printLine("  its CPU time", "scan scale cpu");
    if (!haveSs())
        std::printf("  ss not found (iproute2 is not installed): no ss baseline\n");
    printLine("ss -anp (whole system, with processes)", "ss scale");
    printLine("broker.duplicate: command, at this scale", "duplicate scale command");
    printLine("broker.duplicate: full, at this scale", "duplicate scale full");
    printRatio("observe tick / bare /proc scan", "observe scale", "scan scale");
    printRatio("observe tick / bare /proc scan, CPU", "observe scale cpu", "scan scale cpu");
    printRatio("observe tick / ss -anp", "observe scale", "ss scale");
    printRatio("duplicate command at scale / paired bare round trip", "duplicate scale command",
               "duplicate scale bare", 5);
    printRatio("duplicate full at scale / paired bare round trip", "duplicate scale full",
               "duplicate scale bare", 5);
}

void registerBenchmarks() {
    using benchmark::RegisterBenchmark;
    // Fixed iteration counts keep the whole run near a minute on two cores.
    auto timed = [](benchmark::internal::Benchmark* benchmark, benchmark::IterationCount n) {
        benchmark->UseManualTime()->Iterations(n)->Unit(benchmark::kMicrosecond);
    };
    timed(RegisterBenchmark("bare_scm_rights_round_trip", bareRoundTrip), 20000);
    timed(RegisterBenchmark("broker_get_option", brokerRequest), 5000);
    timed(RegisterBenchmark("broker_duplicate", brokerDuplicate), 1000);
    timed(RegisterBenchmark("broker_duplicate_close_cycles", duplicateCloseCycles), 10000);
    timed(RegisterBenchmark("broker_observe/2_helpers", observeSmall), 1000);
    timed(RegisterBenchmark("proc_scan/2_helpers", procScanSmall), 1000);
    const std::string scale =
        "/" + std::to_string(kHelpers) + "x" + std::to_string(g_pairsPerHelper * 2);
    timed(RegisterBenchmark(("broker_observe" + scale).c_str(), observeScale), 10);
    timed(RegisterBenchmark(("proc_scan" + scale).c_str(), procScanScale), 20);
    timed(RegisterBenchmark(("ss_anp" + scale).c_str(), ssScale), 10);
    timed(RegisterBenchmark(("broker_duplicate" + scale).c_str(), duplicateScale), 5);
}

/// Takes --socklens_pairs_per_helper=N out of argv; false when its value is not a count.
bool takeScaleFlag(int& argc, char** argv) {
    constexpr std::string_view flag = "--socklens_pairs_per_helper=";
    int kept = 1;
    for (int i = 1; i < argc; ++i) {
        const std::string_view argument(argv[i]);
        if (!argument.starts_with(flag)) {
            argv[kept++] = argv[i];
            continue;
        }
        const std::string_view value = argument.substr(flag.size());
        const auto [end, error] =
            std::from_chars(value.data(), value.data() + value.size(), g_pairsPerHelper);
        if (error != std::errc() || end != value.data() + value.size() || g_pairsPerHelper < 1)
            return false;
    }
    argc = kept;
    return true;
}

} // namespace

int main(int argc, char** argv) {
    raiseDescriptorLimit();
    benchmark::Initialize(&argc, argv);
    if (!takeScaleFlag(argc, argv)) {
        std::cerr << "socklens_bench: --socklens_pairs_per_helper needs a positive count\n";
        return 1;
    }
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    registerBenchmarks();
    try {
        benchmark::RunSpecifiedBenchmarks();
        printSummary();
    } catch (const std::exception& error) {
        // An engine error is a real failure: the only way this benchmark fails (never timing).
        std::cerr << "socklens_bench: " << error.what() << '\n';
        return 1;
    }
    endScaleSession();
    benchmark::Shutdown();
    return 0;
}
