// `socklens-cli map --shared --json` on a machine with many shared sockets, side by side with
// `ss -xanp` and with a bare readdir + readlink over every /proc/*/fd (the least any
// /proc-based holder map must do) as a program started the same way, in one run; and the map
// and the bare loop inside this process (what the app pays). Medians and ratios printed,
// nothing asserted.
// The machine: P parent processes with K socketpairs each, every parent forked once after
// making them, so each socket is held by two processes (defaults 100 x 50: 200 processes,
// 20 000 socket descriptors). Figures: docs/performance.md, "The machine map".
#include "bare_proc_scan.h"
#include "bench_options.h"
#include "cli/cli.h"
#include "proc_readings.h"
#include "shared_sockets_machine.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <sstream>
#include <string>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using socklens::bench::bareProcScan;
using socklens::bench::loadAverage;

struct Options {
    int parents = 100;
    int pairs = 50;
    int rounds = 9;
    /// Another build's socklens-cli (e.g. before a change), measured in the same rounds.
    std::string otherCli;
};

Options parseOptions(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string argument = argv[i];
        auto number = [&](const char* name, int& value) {
            return socklens::bench::numberOption(argument, name, value);
        };
        if (argument.rfind("--other-cli=", 0) == 0)
            options.otherCli = argument.substr(std::strlen("--other-cli="));
        else if (!number("parents", options.parents) && !number("pairs", options.pairs) &&
                 !number("rounds", options.rounds)) {
            std::fprintf(stderr,
                         "usage: %s [--parents=N] [--pairs=N] [--rounds=N] [--other-cli=PATH]\n",
                         argv[0]);
            std::exit(2);
        }
    }
    return options;
}

double cpuMs(const rusage& usage) {
    return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
           (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
}

/// Wall-clock and CPU time (user + system, every thread) of one run. On a busy machine the
/// wall clock mostly measures waiting for a core; the CPU time is the work itself.
struct Timing {
    double wallMs = 0;
    double cpuMs = 0;
};

/// Runs a program with stdout and stderr on /dev/null; its exit status and `timing`. Spawned
/// (vfork and exec), not forked: copying this process's page tables is not the program's time.
int runQuietly(const std::vector<std::string>& command, Timing* timing = nullptr) {
    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    ::posix_spawn_file_actions_adddup2(&actions, 1, 2);
    std::vector<char*> arguments;
    for (const std::string& argument : command)
        arguments.push_back(const_cast<char*>(argument.c_str()));
    arguments.push_back(nullptr);
    const auto start = Clock::now();
    pid_t child = -1;
    const int failed =
        ::posix_spawnp(&child, arguments[0], &actions, nullptr, arguments.data(), environ);
    ::posix_spawn_file_actions_destroy(&actions);
    if (failed)
        return 127;
    int status = 0;
    rusage usage{};
    ::wait4(child, &status, 0, &usage);
    if (timing)
        *timing = {std::chrono::duration<double, std::milli>(Clock::now() - start).count(),
                   cpuMs(usage)};
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

template <class Run> Timing timeHere(const Run& run) {
    rusage before{}, after{};
    ::getrusage(RUSAGE_SELF, &before);
    const auto start = Clock::now();
    run();
    const double wall = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    ::getrusage(RUSAGE_SELF, &after);
    return {wall, cpuMs(after) - cpuMs(before)};
}

struct Series {
    const char* name;
    std::vector<Timing> runs;
    double median(double Timing::*field) const {
        std::vector<double> values;
        for (const Timing& run : runs)
            values.push_back(run.*field);
        std::sort(values.begin(), values.end());
        return values[values.size() / 2];
    }
};

} // namespace

int main(int argc, char** argv) {
    const Options options = parseOptions(argc, argv);
    if (!socklens::bench::SharedSocketsMachine::fitsDescriptorLimit(options.pairs))
        return 1;
    socklens::bench::SharedSocketsMachine machine(options.parents, options.pairs);
    std::printf("machine: %d processes, %d socket descriptors in them (each socket held by 2)\n",
                2 * options.parents, 4 * options.parents * options.pairs);
    std::printf("baseline finds %zu socket descriptors on the whole machine\n", bareProcScan());

    const std::vector<std::string> map = {SOCKLENS_CLI_PATH, "map", "--shared", "--json",
                                          "/dev/null"};
    if (runQuietly(map) != 0 || runQuietly({"ss", "-xanp"}) != 0) {
        std::fprintf(stderr, "socklens-cli map or ss -xanp failed\n");
        return 1;
    }
    const double loadAtStart = loadAverage();
    // Interleaved rounds: a busy moment of the machine falls on all of them alike.
    Series cli{"socklens-cli map --shared --json", {}};
    Series here{"the same inside this process", {}};
    Series ss{"ss -xanp", {}};
    Series bareProgram{"bare readdir+readlink, a program", {}};
    Series bare{"the same loop inside this process", {}};
    Series other{"--other-cli's map --shared --json", {}};
    std::vector<std::string> otherMap = map;
    otherMap.front() = options.otherCli;
    for (int round = 0; round < options.rounds; ++round) {
        // A run right after another reads /proc a little faster (2-3 %): with --other-cli, the
        // two take turns at going first.
        const bool otherFirst = !options.otherCli.empty() && round % 2 == 1;
        if (otherFirst) {
            other.runs.emplace_back();
            runQuietly(otherMap, &other.runs.back());
        }
        cli.runs.emplace_back();
        runQuietly(map, &cli.runs.back());
        if (!options.otherCli.empty() && !otherFirst) {
            other.runs.emplace_back();
            runQuietly(otherMap, &other.runs.back());
        }
        here.runs.push_back(timeHere([] {
            std::ostringstream out, err;
            socklens::cli::runCli({"map", "--shared", "--json", "/dev/null"}, out, err);
        }));
        ss.runs.emplace_back();
        runQuietly({"ss", "-xanp"}, &ss.runs.back());
        bareProgram.runs.emplace_back();
        runQuietly({SOCKLENS_BARE_SCAN_PATH}, &bareProgram.runs.back());
        bare.runs.push_back(timeHere([] { bareProcScan(); }));
    }
    std::printf("median of %d rounds        wall ms    CPU ms\n", options.rounds);
    for (const Series* series : {&cli, &here, &ss, &bareProgram, &bare, &other})
        if (!series->runs.empty())
            std::printf("  %-34s %8.1f  %8.1f\n", series->name, series->median(&Timing::wallMs),
                        series->median(&Timing::cpuMs));
    for (const auto field : {&Timing::wallMs, &Timing::cpuMs}) {
        const char* what = field == &Timing::wallMs ? "wall" : "CPU ";
        std::printf("%s: programs alike: map / ss = %.2f (target <= 0.5), map / bare = %.2f "
                    "(target <= 1.5); in this process: map / ss = %.2f, map / bare loop = %.2f\n",
                    what, cli.median(field) / ss.median(field),
                    cli.median(field) / bareProgram.median(field),
                    here.median(field) / ss.median(field), here.median(field) / bare.median(field));
        if (!other.runs.empty())
            std::printf("%s: --other-cli / bare = %.2f, / ss = %.2f\n", what,
                        other.median(field) / bareProgram.median(field),
                        other.median(field) / ss.median(field));
    }
    std::printf("load average (1 min): %.2f at the start, %.2f at the end\n", loadAtStart,
                loadAverage());
    return 0;
}
