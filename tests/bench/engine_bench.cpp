// Engine benchmarks. Every engine figure is measured next to a raw baseline in the same run (a
// bare SCM_RIGHTS round trip, a bare /proc scan, `ss -anp`), so the ratios printed at the end
// mean something on any machine even where the absolute times do not. How to run them and how
// to read them: docs/performance.md.
#include "broker/broker.h"
#include "model/journal_entry.h"
#include "platform/posix/unique_fd.h"
#include "proc_readings.h"
#include "sysmap/proc_scan.h"

#include <algorithm>
#include <benchmark/benchmark.h>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>
#include <unordered_set>
#include <vector>

namespace {

using namespace socklens;
using Clock = std::chrono::steady_clock;
using platform::UniqueFd;
using socklens::bench::loadAverage;

constexpr int kHelpers = 16;
constexpr SocketKind kScaleKind = SocketKind::TcpPair;
/// Two descriptors per pair: 128 gives 256 per helper. `ctest -L bench` passes a smaller
/// --socklens_pairs_per_helper: it only checks that the benchmarks run.
int g_pairsPerHelper = 128;

double micros(Clock::duration elapsed) {
    return std::chrono::duration<double, std::micro>(elapsed).count();
}

void check(bool ok, const char* call) {
    if (!ok)
        throw std::system_error(errno, std::generic_category(), call);
}

// ---- samples -----------------------------------------------------------------------------

// Google Benchmark reports means; latencies are read by their medians, so each benchmark also
// keeps the per-iteration samples (µs) of its last run for the summary.
std::map<std::string, std::vector<double>> g_samples;

double percentile(std::vector<double> values, double fraction) {
    if (values.empty())
        return 0;
    const auto at = values.begin() + std::ptrdiff_t(fraction * double(values.size() - 1) + 0.5);
    std::nth_element(values.begin(), at, values.end());
    return *at;
}

double median(const std::vector<double>& values) {
    return percentile(values, 0.5);
}

const std::vector<double>* samplesOf(const std::string& key) {
    const auto found = g_samples.find(key);
    return found == g_samples.end() || found->second.empty() ? nullptr : &found->second;
}

class Samples {
public:
    Samples(benchmark::State& state, const std::string& key)
        : values_(g_samples[key]) {
        values_.clear(); // a rerun (e.g. --benchmark_repetitions) keeps only its own samples
        values_.reserve(std::size_t(state.max_iterations));
    }

    void add(Clock::duration elapsed) { values_.push_back(micros(elapsed)); }
    void addMicros(double value) { values_.push_back(value); }

    /// The benchmark's own time is the manual time; these put the median next to the mean.
    void publish(benchmark::State& state, const std::string& prefix = {}) const {
        state.counters[prefix + "median_us"] = median(values_);
        state.counters[prefix + "p90_us"] = percentile(values_, 0.9);
    }

private:
    std::vector<double>& values_;
};

/// CPU time of the calling thread (the broker runs on it), in µs: the work, where the wall
/// clock on a shared machine also holds the wait for a core.
double threadCpuMicros() {
    timespec now{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) * 1e6 + double(now.tv_nsec) / 1e3;
}

void setIterationTime(benchmark::State& state, Clock::duration elapsed) {
    state.SetIterationTime(std::chrono::duration<double>(elapsed).count());
}

// ---- 1. bare SCM_RIGHTS round trip -------------------------------------------------------

void sendDescriptor(int channel, int fd) {
    char byte = 0;
    iovec data{&byte, 1};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))]{};
    msghdr message{};
    message.msg_iov = &data;
    message.msg_iovlen = 1;
    message.msg_control = control;
    message.msg_controllen = sizeof control;
    cmsghdr* header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(header), &fd, sizeof fd);
    check(::sendmsg(channel, &message, MSG_NOSIGNAL) == 1, "sendmsg");
}

/// The forked child: receive a descriptor, close it, answer one byte; until the parent hangs up.
[[noreturn]] void serveRoundTrips(int channel) {
    for (;;) {
        char byte = 0;
        iovec data{&byte, 1};
        alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))]{};
        msghdr message{};
        message.msg_iov = &data;
        message.msg_iovlen = 1;
        message.msg_control = control;
        message.msg_controllen = sizeof control;
        const ssize_t received = ::recvmsg(channel, &message, MSG_CMSG_CLOEXEC);
        if (received <= 0)
            ::_exit(received == 0 ? 0 : 1);
        for (cmsghdr* header = CMSG_FIRSTHDR(&message); header;
             header = CMSG_NXTHDR(&message, header)) {
            if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_RIGHTS) {
                int fd;
                std::memcpy(&fd, CMSG_DATA(header), sizeof fd);
                ::close(fd);
            }
        }
        if (::write(channel, &byte, 1) != 1)
            ::_exit(1);
    }
}

/// A forked child at the other end of an AF_UNIX socketpair; one roundTrip() passes it a
/// descriptor with SCM_RIGHTS and waits for its one-byte answer.
class RoundTripPeer {
public:
    RoundTripPeer() {
        int ends[2];
        check(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) == 0, "socketpair");
        channel_ = UniqueFd(ends[0]);
        UniqueFd theirs(ends[1]);
        child_ = ::fork();
        check(child_ >= 0, "fork");
        if (child_ == 0) {
            // The child keeps only its channel: copies of the broker's helper channels or
            // of a session socket would show up in the broker's /proc scans.
            ::dup2(theirs.get(), 3);
            ::close_range(4, ~0U, 0);
            serveRoundTrips(3);
        }
        for (int i = 0; i < 200; ++i)
            roundTrip(); // warm-up: page faults and the child's first scheduling stay out of it
    }

    ~RoundTripPeer() {
        channel_.reset(); // the child sees end of stream and exits
        ::waitpid(child_, nullptr, 0);
    }

    RoundTripPeer(const RoundTripPeer&) = delete;
    RoundTripPeer& operator=(const RoundTripPeer&) = delete;

    Clock::duration roundTrip() {
        const Clock::time_point start = Clock::now();
        sendDescriptor(channel_.get(), passed_.get());
        char ack;
        check(::read(channel_.get(), &ack, 1) == 1, "read (the child's answer)");
        return Clock::now() - start;
    }

private:
    UniqueFd channel_;
    // A TCP socket travels, as in the broker benchmark: an AF_UNIX socket in flight would take
    // the kernel's unix-GC accounting path and make the baseline slower than it should be.
    UniqueFd passed_{::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
    pid_t child_ = -1;
};

void bareRoundTrip(benchmark::State& state) {
    RoundTripPeer peer;
    Samples samples(state, "bare");
    for (auto _ : state) {
        const Clock::duration elapsed = peer.roundTrip();
        samples.add(elapsed);
        setIterationTime(state, elapsed);
    }
    samples.publish(state);
}

// ---- 2. broker-mediated duplicate --------------------------------------------------------

broker::BrokerOptions benchOptions() {
    broker::BrokerOptions options;
    options.helperPath = SOCKLENS_HELPER_PATH;
    return options;
}

/// Runs duplicate(source -> target) then close(result) per iteration. Samples per iteration:
/// "command" ends when DuplicationFinished is journaled (the target holds the fd and the journal
/// has it), "full" when duplicate() returns (after its post-command observe(), as users see
/// it), and the close on its own. The reported (manual) time is the full duplicate. A bare
/// round trip between iterations is the paired baseline: load on this shared machine moves
/// both alike, so their ratio holds better than one against a baseline measured earlier.
void duplicateLoop(benchmark::State& state, broker::Broker& broker,
                   const Clock::time_point& journaled, const DescriptorRef& source,
                   ProcessId target, const std::string& key, int warmup) {
    for (int i = 0; i < warmup; ++i)
        broker.close(broker.duplicate(source, target));
    Samples command(state, key + " command");
    Samples full(state, key + " full");
    Samples close(state, key + " close");
    Samples bare(state, key + " bare");
    Samples fullCpu(state, key + " full cpu");
    RoundTripPeer peer;
    for (auto _ : state) {
        const double cpu = threadCpuMicros();
        const Clock::time_point start = Clock::now();
        const DescriptorRef copy = broker.duplicate(source, target);
        const Clock::time_point returned = Clock::now();
        fullCpu.addMicros(threadCpuMicros() - cpu);
        broker.close(copy);
        close.add(Clock::now() - returned);
        command.add(journaled - start);
        full.add(returned - start);
        setIterationTime(state, returned - start);
        bare.add(peer.roundTrip());
    }
    full.publish(state);
    command.publish(state, "command_");
    close.publish(state, "close_");
    bare.publish(state, "bare_");
}

/// Notes when each DuplicationFinished is journaled; the broker itself stays untouched.
void watchDuplications(broker::Broker& broker, Clock::time_point& journaled) {
    broker.journal().addListener([&journaled](const JournalEntry& entry) {
        if (std::holds_alternative<entry::DuplicationFinished>(entry.payload))
            journaled = Clock::now();
    });
}

void brokerDuplicate(benchmark::State& state) {
    Clock::time_point journaled; // outlives the broker, whose listener writes it
    broker::Broker broker(benchOptions());
    watchDuplications(broker, journaled);
    const ProcessId a = broker.spawnHelper("A");
    const ProcessId b = broker.spawnHelper("B");
    const DescriptorRef connection = broker.createSocket(a, SocketKind::TcpPair).at(0);
    duplicateLoop(state, broker, journaled, connection, b, "duplicate", 20);
}

/// Duplicate then close, 10 000 times in one session: a command must cost the same late in a
/// long session as early on (issue 12: last tenth at most 1.2x the first), not walk every past
/// duplication or descriptor. A bare round trip per cycle is the paired baseline.
void duplicateCloseCycles(benchmark::State& state) {
    broker::Broker broker(benchOptions());
    const ProcessId a = broker.spawnHelper("A");
    const ProcessId b = broker.spawnHelper("B");
    const DescriptorRef connection = broker.createSocket(a, SocketKind::TcpPair).at(0);
    Samples cycles(state, "cycle");
    Samples bare(state, "cycle bare");
    RoundTripPeer peer;
    for (auto _ : state) {
        const Clock::time_point start = Clock::now();
        broker.close(broker.duplicate(connection, b));
        const Clock::duration elapsed = Clock::now() - start;
        cycles.add(elapsed);
        setIterationTime(state, elapsed);
        bare.add(peer.roundTrip());
    }
    cycles.publish(state);
}

/// One broker request with no observation after it (getOption journals, but does not
/// observe): the unit the duplicate's command phase is made of (Hello, export, import).
void brokerRequest(benchmark::State& state) {
    broker::Broker broker(benchOptions());
    const ProcessId a = broker.spawnHelper("A");
    broker.spawnHelper("B");
    const DescriptorRef connection = broker.createSocket(a, SocketKind::TcpPair).at(0);
    for (int i = 0; i < 200; ++i)
        broker.getOption(connection, SocketOption::RcvBuf);
    Samples samples(state, "request");
    Samples bare(state, "request bare");
    RoundTripPeer peer;
    for (auto _ : state) {
        const Clock::time_point start = Clock::now();
        broker.getOption(connection, SocketOption::RcvBuf);
        const Clock::duration elapsed = Clock::now() - start;
        samples.add(elapsed);
        setIterationTime(state, elapsed);
        bare.add(peer.roundTrip());
    }
    samples.publish(state);
    bare.publish(state, "bare_");
}

/// Where the duplicate's time goes: one observation of the same small session, and the /proc
/// scan inside it on its own.
void observeSmall(benchmark::State& state) {
    broker::Broker broker(benchOptions());
    const ProcessId a = broker.spawnHelper("A");
    broker.spawnHelper("B");
    broker.createSocket(a, SocketKind::TcpPair);
    Samples samples(state, "observe small");
    for (auto _ : state) {
        const Clock::time_point start = Clock::now();
        broker.observe();
        const Clock::duration elapsed = Clock::now() - start;
        samples.add(elapsed);
        setIterationTime(state, elapsed);
    }
    samples.publish(state);
}

std::unordered_set<std::uint64_t> openIdentities(const State& state) {
    std::unordered_set<std::uint64_t> identities;
    for (const auto& [id, socket] : state.sockets) {
        if (socket.open)
            identities.insert(socket.identity);
    }
    return identities;
}

void scanLoop(benchmark::State& state, const std::unordered_set<std::uint64_t>& identities,
              const std::string& key) {
    Samples samples(state, key);
    Samples cpuSamples(state, key + " cpu");
    for (auto _ : state) {
        const double cpu = threadCpuMicros();
        const Clock::time_point start = Clock::now();
        const sysmap::ProcScan scan = sysmap::scanSocketHolders(identities);
        const Clock::duration elapsed = Clock::now() - start;
        cpuSamples.addMicros(threadCpuMicros() - cpu);
        if (scan.holders.size() < identities.size())
            throw std::runtime_error("the /proc scan missed holders of the session's sockets");
        samples.add(elapsed);
        setIterationTime(state, elapsed);
    }
    samples.publish(state);
}

void procScanSmall(benchmark::State& state) {
    broker::Broker broker(benchOptions());
    const ProcessId a = broker.spawnHelper("A");
    broker.spawnHelper("B");
    broker.createSocket(a, SocketKind::TcpPair);
    scanLoop(state, openIdentities(broker.state()), "scan small");
}

// ---- 3. one observation tick at 16 helpers x 256 descriptors -----------------------------

/// Built once, by the first benchmark that needs it, through the broker's own commands.
struct ScaleSession {
    Clock::time_point journaled;
    broker::Broker broker{benchOptions()};
    std::vector<ProcessId> helpers;
    std::vector<double> createMicros; ///< every createSocket in order: cost vs session size
    double setupSeconds = 0;
    std::size_t descriptors = 0;
};
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

// ---- summary -----------------------------------------------------------------------------

std::size_t processCount() {
    std::size_t count = 0;
    if (DIR* proc = ::opendir("/proc")) {
        while (dirent* entry = ::readdir(proc))
            count += entry->d_name[0] >= '0' && entry->d_name[0] <= '9' ? 1 : 0;
        ::closedir(proc);
    }
    return count;
}

void printLine(const std::string& label, const std::string& key) {
    const std::vector<double>* values = samplesOf(key);
    if (!values)
        return;
    std::printf("  %-52s n=%-6zu median %10.1f us   p90 %10.1f us\n", label.c_str(), values->size(),
                median(*values), percentile(*values, 0.9));
}

void printRatio(const std::string& label, const std::string& numerator,
                const std::string& denominator, double target = 0) {
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

/// Median of the first and the last tenth of a series: does the cost drift as the session grows?
void printDrift(const std::string& label, const std::vector<double>& values, double target = 0) {
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

    if (g_scale) {
        std::printf("\nobservation tick (%d helpers x %d descriptors, %s; %zu open descriptors):\n",
                    kHelpers, g_pairsPerHelper * 2, std::string(toString(kScaleKind)).c_str(),
                    g_scale->descriptors);
        std::printf("  %-52s %8.1f s for %zu createSocket commands\n", "setup through the broker",
                    g_scale->setupSeconds, g_scale->createMicros.size());
        printDrift("createSocket, as the session grows", g_scale->createMicros);
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

void raiseDescriptorLimit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
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
    g_scale.reset();
    benchmark::Shutdown();
    return 0;
}
