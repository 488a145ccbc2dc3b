// GUI benchmark (issue 3, "Benchmark"): the app's MainWindow, shown on the offscreen platform,
// over a live session of 64 helpers x 1 000 descriptors at the 10 Hz tick. It measures the GUI
// thread's busy time per second, the latency from an OS change (a close in a helper) to the item
// models, the tick the engine achieves at that scale, and peak RSS. How to run it and how to
// read it: docs/performance.md, "GUI at scale".
//
// Phases, in order: build the session; time the tick (observe()) and its parts; a quiet steady
// period (only the tick runs); closes the broker did not command (injected into a helper with
// ptrace, seen only by the tick); closes commanded through Engine::close; the report.
// It fails only when the benchmark cannot run (a crash, an engine error, a session that
// could not be built); no timing is ever asserted.
#include "broker/broker.h"
#include "models/descriptors_model.h"
#include "models/engine.h"
#include "models/session.h"
#include "models/sockets_model.h"
#include "proc_readings.h"
#include "sysmap/proc_scan.h"
#include "widgets/main_window.h"

#include <QAbstractEventDispatcher>
#include <QApplication>
#include <QEventLoop>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTimer>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <deque>
#include <dirent.h>
#include <fstream>
#include <functional>
#include <malloc.h>
#include <map>
#include <mutex>
#include <optional>
#include <pthread.h>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <thread>
#include <time.h>
#include <unistd.h>
#include <unordered_set>
#include <vector>
#if defined(__x86_64__)
#include <sys/ptrace.h>
#include <sys/user.h>
#endif

// The resources live in a static library: registered by hand, outside any namespace.
static void initResources() {
    Q_INIT_RESOURCE(socklens);
}

namespace socklens::ui {
/// The bench builds its session straight on the broker thread: tens of thousands of sockets,
/// with timings no user command could take.
struct EngineBenchAccess {
    static void post(Engine& engine, std::function<void(broker::Broker&)> command) {
        engine.post(std::move(command));
    }
};
} // namespace socklens::ui

namespace {

using namespace socklens;
using namespace socklens::ui;
using socklens::bench::statCpuSeconds;
using socklens::bench::statusMiB;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// ---- configuration -----------------------------------------------------------------------

struct Config {
    int helpers = 64;
    int pairs = 500; ///< per helper: two descriptors each
    SocketKind kind = SocketKind::UnixPair;
    double steadySeconds = 20;
    int ticks = 5;        ///< observe() calls timed on their own
    int uncommanded = 50; ///< closes injected into helpers, seen only by the tick
    int commands = 20;    ///< closes through Engine::close
    int probeGapMs = 400; ///< mean gap between injected closes (uniform 0.25x .. 1.75x)
};

bool parseInt(std::string_view text, int& out) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
    return error == std::errc() && end == text.data() + text.size() && out >= 0;
}

std::optional<Config> parseArguments(int argc, char** argv) {
    Config config;
    for (int i = 1; i < argc; ++i) {
        const std::string_view argument(argv[i]);
        const auto equals = argument.find('=');
        const std::string_view name = argument.substr(0, equals);
        const std::string_view value =
            equals == std::string_view::npos ? std::string_view() : argument.substr(equals + 1);
        int number = 0;
        if (name == "--kind" && (value == "unix" || value == "tcp")) {
            config.kind = value == "unix" ? SocketKind::UnixPair : SocketKind::TcpPair;
            continue;
        }
        if (!parseInt(value, number)) {
            std::fprintf(stderr, "socklens_gui_bench: bad argument %s\n", argv[i]);
            return std::nullopt;
        }
        if (name == "--helpers" && number > 0)
            config.helpers = number;
        else if (name == "--pairs" && number > 0)
            config.pairs = number;
        else if (name == "--steady")
            config.steadySeconds = number;
        else if (name == "--ticks" && number > 0)
            config.ticks = number;
        else if (name == "--uncommanded")
            config.uncommanded = number;
        else if (name == "--commands")
            config.commands = number;
        else if (name == "--probe-gap-ms" && number > 0)
            config.probeGapMs = number;
        else {
            std::fprintf(
                stderr,
                "socklens_gui_bench: unknown argument %s\n"
                "usage: socklens_gui_bench [--helpers=64] [--pairs=500] [--kind=unix|tcp]\n"
                "         [--steady=20] [--ticks=5] [--uncommanded=50] [--commands=20]\n"
                "         [--probe-gap-ms=400]\n",
                argv[i]);
            return std::nullopt;
        }
    }
    return config;
}

// ---- small measuring tools ---------------------------------------------------------------

double ms(Clock::duration elapsed) {
    return std::chrono::duration<double, std::milli>(elapsed).count();
}

double seconds(Clock::duration elapsed) {
    return std::chrono::duration<double>(elapsed).count();
}

/// Nearest-rank percentile.
double percentile(std::vector<double> values, double fraction) {
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const std::size_t rank =
        std::size_t(std::max(1.0, std::ceil(fraction * double(values.size()))));
    return values[std::min(rank, values.size()) - 1];
}

double threadCpuSeconds(clockid_t clock) {
    timespec now{};
    ::clock_gettime(clock, &now);
    return double(now.tv_sec) + double(now.tv_nsec) / 1e9;
}

/// The offscreen platform says this for every top-level resize; it means nothing here.
void quietMessages(QtMsgType type, const QMessageLogContext& context, const QString& message) {
    if (message.contains(QStringLiteral("propagateSizeHints")))
        return;
    std::fprintf(stderr, "%s\n", qPrintable(qFormatLogMessage(type, context, message)));
}

void raiseDescriptorLimit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

/// Runs the GUI event loop for `duration`.
void runFor(Clock::duration duration) {
    QEventLoop loop;
    QTimer::singleShot(int(std::max<double>(ms(duration), 0)), &loop, &QEventLoop::quit);
    loop.exec();
}

/// Runs the GUI event loop until `done()` or `bound` passes (checked every 20 ms).
bool runUntil(const std::function<bool()>& done, Clock::duration bound) {
    const Clock::time_point deadline = Clock::now() + bound;
    QEventLoop loop;
    QTimer check;
    check.setInterval(20);
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (done() || Clock::now() >= deadline)
            loop.quit();
    });
    check.start();
    if (!done())
        loop.exec();
    return done();
}

// ---- the GUI thread: busy time, and what it is busy with ---------------------------------

/// Busy = from the event dispatcher's wake-up to its next "about to block", on the GUI thread.
/// Intervals are kept, so any window of the run can be cut into one-second bins afterwards.
class BusyMeter {
public:
    explicit BusyMeter(QAbstractEventDispatcher* dispatcher) {
        QObject::connect(dispatcher, &QAbstractEventDispatcher::awake, [this] {
            if (blocked_) {
                blocked_ = false;
                start_ = Clock::now();
            }
        });
        QObject::connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, [this] {
            if (!blocked_) {
                blocked_ = true;
                intervals_.emplace_back(start_, Clock::now());
            }
        });
    }

    struct Figures {
        double meanPercent = 0;
        double maxSecondPercent = 0; ///< the busiest one-second bin
        double p90SecondPercent = 0;
    };

    Figures over(Clock::time_point from, Clock::time_point to) const {
        const int bins = std::max(1, int(seconds(to - from)));
        std::vector<double> busy(std::size_t(bins), 0.0);
        double total = 0;
        for (const auto& [start, end] : intervals_) {
            const Clock::time_point a = std::max(start, from);
            const Clock::time_point b = std::min(end, to);
            if (b <= a)
                continue;
            total += seconds(b - a);
            // Spread the interval over the bins it covers.
            for (Clock::time_point t = a; t < b;) {
                const int bin = int(seconds(t - from));
                if (bin >= bins)
                    break;
                const Clock::time_point binEnd = from + std::chrono::duration_cast<Clock::duration>(
                                                            std::chrono::duration<double>(bin + 1));
                const Clock::time_point until = std::min(b, binEnd);
                busy[std::size_t(bin)] += seconds(until - t);
                t = until;
            }
        }
        std::vector<double> percents;
        for (double value : busy)
            percents.push_back(100 * value);
        return {100 * total / seconds(to - from),
                *std::max_element(percents.begin(), percents.end()), percentile(percents, 0.9)};
    }

private:
    bool blocked_ = false;
    Clock::time_point start_ = Clock::now();
    std::vector<std::pair<Clock::time_point, Clock::time_point>> intervals_;
};

/// Times every top-level event the GUI thread delivers, by receiver class and event type, so
/// the busy time can be attributed (a batch from the engine arrives as a MetaCall to Session).
class BenchApplication : public QApplication {
public:
    using QApplication::QApplication;

    struct Cost {
        double totalMs = 0;
        double maxMs = 0;
        std::size_t count = 0;
    };
    using Costs = std::map<std::string, Cost>;

    void startPhase() {
        costs_.clear();
        batchMs_.clear();
    }
    const Costs& costs() const { return costs_; }
    /// Each batch of journal entries the GUI applied (Session::append and everything that
    /// hangs off Session::changed, synchronously).
    const std::vector<double>& batchMs() const { return batchMs_; }
    /// When each batch began to be applied, over the whole run.
    const std::vector<Clock::time_point>& batchStarts() const { return batchStarts_; }
    void setSession(const QObject* session) { session_ = session; }

    bool notify(QObject* receiver, QEvent* event) override {
        if (depth_ > 0) {
            ++depth_;
            const bool result = QApplication::notify(receiver, event);
            --depth_;
            return result;
        }
        const int type = int(event->type());
        const bool batch = receiver == session_ && event->type() == QEvent::MetaCall;
        const std::string key =
            std::string(receiver->metaObject()->className()) + " / " + eventName(type);
        const Clock::time_point start = Clock::now();
        if (batch)
            batchStarts_.push_back(start);
        ++depth_;
        const bool result = QApplication::notify(receiver, event);
        --depth_;
        const double elapsed = ms(Clock::now() - start);
        Cost& cost = costs_[key];
        cost.totalMs += elapsed;
        cost.maxMs = std::max(cost.maxMs, elapsed);
        ++cost.count;
        if (batch)
            batchMs_.push_back(elapsed);
        return result;
    }

private:
    static std::string eventName(int type) {
        switch (QEvent::Type(type)) {
        case QEvent::MetaCall:
            return "MetaCall (queued call)";
        case QEvent::Timer:
            return "Timer";
        case QEvent::UpdateRequest:
            return "UpdateRequest (paint)";
        case QEvent::LayoutRequest:
            return "LayoutRequest";
        case QEvent::Paint:
            return "Paint";
        default:
            return "event " + std::to_string(type);
        }
    }

    int depth_ = 0;
    const QObject* session_ = nullptr;
    Costs costs_;
    std::vector<double> batchMs_;
    std::vector<Clock::time_point> batchStarts_;
};

// ---- building the session --------------------------------------------------------------
//
// Broker::createSocket() ends with an observation of what it made; one socket at a time that is
// fine, but the session is built with Broker::createSockets(), which makes a helper's share in
// one command and observes once, then a single observeAll() reads everything at the end.

struct SetupReport {
    double spawnSeconds = 0;
    double createSeconds = 0;       ///< the requests and their journaling, no observe()
    double firstObserveSeconds = 0; ///< the first tick at full scale (journals every count)
    double publicCreateSeconds = 0; ///< one Broker::createSocket() at full scale, as the GUI's
    std::size_t createdDescriptors = 0;
    std::vector<pid_t> helperPids;
    clockid_t engineClock = CLOCK_THREAD_CPUTIME_ID;
    std::string error;
};

void buildSession(broker::Broker& broker, const Config& config, SetupReport& report) {
    const Clock::time_point start = Clock::now();
    std::vector<ProcessId> helpers;
    for (int i = 0; i < config.helpers; ++i)
        helpers.push_back(broker.spawnHelper("H" + std::to_string(i)));
    for (ProcessId id : helpers)
        report.helperPids.push_back(pid_t(broker.state().process(id)->pid.value()));
    const Clock::time_point spawned = Clock::now();
    // Helper by helper: each pane's rows arrive at the end of the descriptors model, as they
    // would when a person fills one process after another.
    for (const ProcessId helper : helpers)
        report.createdDescriptors +=
            broker.createSockets(helper, config.kind, std::size_t(config.pairs)).size();
    const Clock::time_point created = Clock::now();
    // Every new descriptor read once, as each createSocket()'s own observation would have.
    broker.observeAll();
    const Clock::time_point observed = Clock::now();
    // What one more socket costs through the public path at this scale (its observe()).
    broker.createSocket(helpers.front(), config.kind);
    report.createdDescriptors += 2;
    report.publicCreateSeconds = seconds(Clock::now() - observed);
    report.spawnSeconds = seconds(spawned - start);
    report.createSeconds = seconds(created - spawned);
    report.firstObserveSeconds = seconds(observed - created);
}

// ---- the tick at scale --------------------------------------------------------------------

struct TickReport {
    std::vector<double> observeMs;
    double brokerCpuMsPerTick = 0;  ///< the engine thread
    double helpersCpuMsPerTick = 0; ///< all helpers together
    std::vector<double> procScanMs; ///< sysmap::scanSocketHolders() alone, same sockets
    std::size_t entriesPerTick = 0; ///< a steady session should journal nothing
    std::size_t brokerJournalCapacity = 0;
};

void timeTicks(broker::Broker& broker, const Config& config, const SetupReport& setup,
               TickReport& report) {
    auto helpersCpu = [&] {
        double total = 0;
        for (pid_t pid : setup.helperPids)
            total += statCpuSeconds("/proc/" + std::to_string(pid) + "/stat");
        return total;
    };
    const std::uint64_t entries = broker.journal().lastSequence().value();
    const double engineBefore = threadCpuSeconds(setup.engineClock);
    const double helpersBefore = helpersCpu();
    for (int i = 0; i < config.ticks; ++i) {
        const Clock::time_point start = Clock::now();
        broker.observe();
        report.observeMs.push_back(ms(Clock::now() - start));
    }
    report.brokerCpuMsPerTick =
        1000 * (threadCpuSeconds(setup.engineClock) - engineBefore) / config.ticks;
    report.helpersCpuMsPerTick = 1000 * (helpersCpu() - helpersBefore) / config.ticks;
    report.entriesPerTick =
        std::size_t(broker.journal().lastSequence().value() - entries) / std::size_t(config.ticks);
    report.brokerJournalCapacity = broker.journal().entries().capacity();

    std::unordered_set<std::uint64_t> identities;
    for (const auto& [id, socket] : broker.state().sockets) {
        if (socket.open)
            identities.insert(socket.identity);
    }
    for (int i = 0; i < config.ticks; ++i) {
        const Clock::time_point start = Clock::now();
        const sysmap::ProcScan scan = sysmap::scanSocketHolders(identities);
        report.procScanMs.push_back(ms(Clock::now() - start));
        (void)scan;
    }
}

// ---- OS changes the broker did not command: a close injected into a helper ---------------
//
// The helper waits in poll(); it is stopped with PTRACE_INTERRUPT, made to run one system call
// (close(fd)) at the `syscall` instruction of that poll,
// and let go with its registers restored: poll() restarts as after any signal. The helpers are
// our children, so no privilege is needed beyond the default ptrace policy. x86-64 only.

struct Injection {
    bool ok = false;
    bool retry = false; ///< the helper was not waiting in poll(): try again shortly
    long result = 0;
    Clock::time_point at; ///< just after the system call returned in the helper
    std::string why;
};

#if defined(__x86_64__)
Injection injectSyscall(pid_t pid, long number, long a, long b) {
    Injection injection;
    auto failed = [&](const char* call) {
        injection.why = std::string(call) + ": " + std::strerror(errno);
        return injection;
    };
    if (::ptrace(PTRACE_SEIZE, pid, nullptr, nullptr) != 0)
        return failed("PTRACE_SEIZE");
    int status = 0;
    if (::ptrace(PTRACE_INTERRUPT, pid, nullptr, nullptr) != 0 ||
        ::waitpid(pid, &status, __WALL) != pid || !WIFSTOPPED(status)) {
        ::ptrace(PTRACE_DETACH, pid, nullptr, nullptr);
        return failed("PTRACE_INTERRUPT");
    }
    user_regs_struct saved{};
    if (::ptrace(PTRACE_GETREGS, pid, nullptr, &saved) != 0) {
        ::ptrace(PTRACE_DETACH, pid, nullptr, nullptr);
        return failed("PTRACE_GETREGS");
    }
    errno = 0;
    const long code = ::ptrace(PTRACE_PEEKTEXT, pid, saved.rip - 2, nullptr);
    const bool inPoll = (long(saved.orig_rax) == SYS_poll || long(saved.orig_rax) == SYS_ppoll) &&
                        errno == 0 && (code & 0xffff) == 0x050f; // "syscall"
    if (!inPoll) {
        ::ptrace(PTRACE_DETACH, pid, nullptr, nullptr);
        injection.retry = true;
        injection.why = "not waiting in poll() (stopped in system call " +
                        std::to_string(long(saved.orig_rax)) + ")";
        return injection;
    }
    user_regs_struct call = saved;
    call.rip = saved.rip - 2;
    call.rax = std::uint64_t(number);
    call.orig_rax = std::uint64_t(-1); // no syscall restart for the injected call
    call.rdi = std::uint64_t(a);
    call.rsi = std::uint64_t(b);
    if (::ptrace(PTRACE_SETREGS, pid, nullptr, &call) != 0 ||
        ::ptrace(PTRACE_SINGLESTEP, pid, nullptr, nullptr) != 0 ||
        ::waitpid(pid, &status, __WALL) != pid) {
        ::ptrace(PTRACE_SETREGS, pid, nullptr, &saved);
        ::ptrace(PTRACE_DETACH, pid, nullptr, nullptr);
        return failed("PTRACE_SINGLESTEP");
    }
    injection.at = Clock::now();
    user_regs_struct after{};
    ::ptrace(PTRACE_GETREGS, pid, nullptr, &after);
    const bool stepped = WIFSTOPPED(status) && WSTOPSIG(status) == SIGTRAP;
    ::ptrace(PTRACE_SETREGS, pid, nullptr, &saved); // poll() restarts where it was
    ::ptrace(PTRACE_DETACH, pid, nullptr, nullptr);
    if (!stepped) {
        injection.why = "the helper stopped for something else during the call";
        return injection;
    }
    injection.result = long(after.rax);
    injection.ok = injection.result >= 0;
    if (!injection.ok)
        injection.why =
            std::string("the call failed in the helper: ") + std::strerror(int(-injection.result));
    return injection;
}
#else
Injection injectSyscall(pid_t, long, long, long) {
    Injection injection;
    injection.why = "injection is implemented for x86-64 only";
    return injection;
}
#endif

/// A thread of its own does the ptrace work (the tracer must stay the same thread, and the GUI
/// thread must not be charged for it).
class OsChanger {
public:
    using Done = std::function<void(const Injection&)>;

    OsChanger()
        : thread_([this] { run(); }) {}
    ~OsChanger() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        thread_.join();
    }

    /// close(fd) in `pid`; `done` runs on the changer's thread.
    void close(pid_t pid, int fd, Done done) { push({pid, SYS_close, fd, 0, std::move(done)}); }

private:
    struct Job {
        pid_t pid;
        long number;
        long a;
        long b;
        Done done;
    };

    void push(Job job) {
        {
            std::lock_guard lock(mutex_);
            jobs_.push_back(std::move(job));
        }
        wake_.notify_all();
    }

    void run() {
        for (;;) {
            Job job;
            {
                std::unique_lock lock(mutex_);
                wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
                if (stopping_)
                    return;
                job = std::move(jobs_.front());
                jobs_.pop_front();
            }
            Injection injection;
            const Clock::time_point deadline = Clock::now() + std::chrono::seconds(5);
            int attempts = 0;
            do {
                injection = injectSyscall(job.pid, job.number, job.a, job.b);
                ++attempts;
                if (injection.retry)
                    std::this_thread::sleep_for(milliseconds(2));
            } while (injection.retry && Clock::now() < deadline);
            if (injection.retry)
                injection.why += " in " + std::to_string(attempts) + " attempts over 5 s";
            job.done(injection);
        }
    }

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> jobs_;
    bool stopping_ = false;
    std::thread thread_;
};

// ---- latency probes -----------------------------------------------------------------------

/// One close, from the moment it happened in the OS to the moment both item models showed it.
struct Probe {
    DescriptorRef ref;
    SocketId socket;
    pid_t pid = 0;
    bool commanded = false;
    std::optional<Clock::time_point> posted;     ///< commanded: Engine::close() called
    std::optional<Clock::time_point> happened;   ///< the close in the OS (see docs)
    std::optional<Clock::time_point> journaled;  ///< the broker journals DescriptorClosed
    std::optional<Clock::time_point> rowRemoved; ///< DescriptorsModel: the row goes
    std::optional<Clock::time_point> socketRow;  ///< SocketsModel: the socket's row changes
    std::string error;

    bool seen() const { return rowRemoved && socketRow; }
    std::optional<Clock::time_point> modelUpdated() const {
        if (!seen())
            return std::nullopt;
        return std::max(*rowRemoved, *socketRow);
    }
};

/// Shared between the GUI thread (the models' signals), the engine thread (the journal
/// listener) and the changer thread (injections).
class Probes {
public:
    std::mutex mutex;
    std::vector<Probe> all;
    std::map<DescriptorRef, std::size_t> byRef;
    std::map<SocketId, std::size_t> bySocket;

    std::size_t add(Probe probe) {
        std::lock_guard lock(mutex);
        all.push_back(std::move(probe));
        const std::size_t index = all.size() - 1;
        byRef[all[index].ref] = index;
        bySocket[all[index].socket] = index;
        return index;
    }
};

// ---- report -------------------------------------------------------------------------------

void printDistribution(const char* label, const std::vector<double>& values, const char* unit) {
    if (values.empty()) {
        std::printf("  %-58s (no samples)\n", label);
        return;
    }
    std::printf("  %-58s n=%-4zu p50 %8.1f  p90 %8.1f  p99 %8.1f  max %8.1f %s\n", label,
                values.size(), percentile(values, 0.5), percentile(values, 0.9),
                percentile(values, 0.99), *std::max_element(values.begin(), values.end()), unit);
}

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

struct PhaseFigures {
    Clock::time_point from;
    Clock::time_point to;
    double guiCpuSeconds = 0;
    double engineCpuSeconds = 0;
    double helpersCpuSeconds = 0;
    BenchApplication::Costs costs;
    std::vector<double> batchMs;
};

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

std::size_t processCount() {
    std::size_t count = 0;
    if (DIR* proc = ::opendir("/proc")) {
        while (dirent* entry = ::readdir(proc))
            count += entry->d_name[0] >= '0' && entry->d_name[0] <= '9' ? 1 : 0;
        ::closedir(proc);
    }
    return count;
}

} // namespace

int main(int argc, char** argv) {
    const std::optional<Config> parsed = parseArguments(argc, argv);
    if (!parsed)
        return 2;
    const Config config = *parsed;
    raiseDescriptorLimit(); // helpers inherit it: each holds ~1 000 descriptors
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // The plain UNIX event dispatcher: its awake()/aboutToBlock() bracket exactly the time the
    // GUI thread is not waiting, which is what the busy figure is made of.
    if (qEnvironmentVariableIsEmpty("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    initResources();
    qInstallMessageHandler(quietMessages);
    int qtArgc = 1;
    BenchApplication application(qtArgc, argv);
    QApplication::setOrganizationName(QStringLiteral("socklens-bench"));
    QApplication::setApplicationName(QStringLiteral("socklens_gui_bench"));
    QStandardPaths::setTestModeEnabled(true); // the user's window settings stay untouched
    BusyMeter busy(QAbstractEventDispatcher::instance());
    const clockid_t guiClock = [] {
        clockid_t clock;
        ::pthread_getcpuclockid(::pthread_self(), &clock);
        return clock;
    }();

    utsname system{};
    ::uname(&system);
    std::printf("== socklens GUI benchmark: %d helpers x %d descriptors (%d %s per helper), "
                "10 Hz tick, %s platform ==\n",
                config.helpers, 2 * config.pairs, config.pairs,
                config.kind == SocketKind::UnixPair ? "Unix pairs" : "TCP pairs",
                qPrintable(QGuiApplication::platformName()));
    std::printf("  machine: %ld CPUs online, %s %s, %zu processes\n",
                ::sysconf(_SC_NPROCESSORS_ONLN), system.sysname, system.release, processCount());
    std::fflush(stdout);

    const double rssStartMiB = statusMiB("/proc/self/status", "VmRSS:");
    Probes probes; // before the engine: its journal listener writes here until the engine ends
    Session session;
    application.setSession(&session);
    broker::BrokerOptions options;
    options.helperPath = SOCKLENS_HELPER_PATH;
    Engine engine(session, options);
    MainWindow window(session, engine);
    // The count plot is the lower tab that follows descriptor counts; the timeline only moves
    // with registrations, which this session does not make.
    if (auto* tabs = window.findChild<QTabWidget*>())
        tabs->setCurrentIndex(1);
    window.show();
    runFor(milliseconds(300));
    const double rssWindowMiB = statusMiB("/proc/self/status", "VmRSS:");

    // The models the probes watch: rows go from DescriptorsModel, the socket's row changes in
    // SocketsModel. Both are read on the GUI thread, where the signals come.
    DescriptorsModel& descriptors = window.descriptors();
    auto* sockets = window.findChild<SocketsModel*>();
    if (!sockets) {
        std::fprintf(stderr, "socklens_gui_bench: the main window has no SocketsModel\n");
        return 1;
    }
    QObject::connect(&descriptors, &QAbstractItemModel::rowsAboutToBeRemoved, &descriptors,
                     [&](const QModelIndex&, int first, int last) {
                         const Clock::time_point now = Clock::now();
                         std::lock_guard lock(probes.mutex);
                         for (int row = first; row <= last; ++row) {
                             const auto found = probes.byRef.find(descriptors.keyAt(row));
                             if (found != probes.byRef.end() &&
                                 !probes.all[found->second].rowRemoved)
                                 probes.all[found->second].rowRemoved = now;
                         }
                     });
    QObject::connect(sockets, &QAbstractItemModel::dataChanged, sockets,
                     [&](const QModelIndex& topLeft, const QModelIndex& bottomRight) {
                         const Clock::time_point now = Clock::now();
                         std::lock_guard lock(probes.mutex);
                         if (probes.bySocket.empty())
                             return;
                         for (int row = topLeft.row(); row <= bottomRight.row(); ++row) {
                             const auto found = probes.bySocket.find(sockets->keyAt(row));
                             if (found == probes.bySocket.end())
                                 continue;
                             Probe& probe = probes.all[found->second];
                             // Only a change after the close counts (and after its command).
                             const bool after = probe.happened || (probe.commanded && probe.posted);
                             if (after && !probe.socketRow)
                                 probe.socketRow = now;
                         }
                     });

    // ---- 1. build the session -----------------------------------------------------------
    SetupReport setup;
    TickReport ticks;
    std::atomic<bool> built = false;
    const Clock::time_point setupStart = Clock::now();
    EngineBenchAccess::post(engine, [&](broker::Broker& broker) {
        ::pthread_getcpuclockid(::pthread_self(), &setup.engineClock);
        // The moment a commanded close happened: the broker journals DescriptorClosed right
        // after the helper's reply (the helper closed before replying).
        broker.journal().addListener([&](const JournalEntry& entry) {
            const auto* closed = std::get_if<entry::DescriptorClosed>(&entry.payload);
            if (!closed)
                return;
            const Clock::time_point now = Clock::now();
            std::lock_guard lock(probes.mutex);
            const auto found = probes.byRef.find(closed->descriptor);
            if (found == probes.byRef.end())
                return;
            Probe& probe = probes.all[found->second];
            if (!probe.journaled)
                probe.journaled = now;
            if (probe.commanded && !probe.happened)
                probe.happened = now;
        });
        try {
            buildSession(broker, config, setup);
        } catch (const std::exception& error) {
            setup.error = error.what();
        }
        built = true;
    });
    std::printf("\nbuilding the session ...\n");
    std::fflush(stdout);
    runUntil([&] { return built.load(); }, std::chrono::minutes(20));
    const std::size_t expected = std::size_t(config.helpers) * std::size_t(config.pairs) * 2 + 2;
    if (!setup.error.empty() || setup.createdDescriptors != expected) {
        std::fprintf(stderr,
                     "socklens_gui_bench: the session could not be built: %s (%zu of %zu "
                     "descriptors)\n",
                     setup.error.empty() ? "missing descriptors" : setup.error.c_str(),
                     setup.createdDescriptors, expected);
        return 1;
    }
    const Clock::time_point engineDone = Clock::now();
    engine.waitIdle(std::chrono::minutes(10)); // the GUI has applied every entry so far
    const Clock::time_point guiDone = Clock::now();
    std::size_t openRows = std::size_t(descriptors.rowCount());
    std::printf("  helpers spawned in %.1f s; %zu descriptors created in %.1f s (requests and "
                "journaling, no observe per command)\n",
                setup.spawnSeconds, setup.createdDescriptors - 2, setup.createSeconds);
    std::printf(
        "  first observeAll() at full scale: %.1f s; one more public createSocket(): %.2f s\n",
        setup.firstObserveSeconds, setup.publicCreateSeconds);
    std::printf("  engine done %.1f s after the start; GUI caught up %.1f s later; %zu rows in "
                "the descriptors model, %d in the sockets model, %zu journal entries\n",
                seconds(engineDone - setupStart), seconds(guiDone - engineDone), openRows,
                sockets->rowCount(), session.journal().entries().size());
    std::fflush(stdout);
    const double rssBuiltMiB = statusMiB("/proc/self/status", "VmRSS:");

    // ---- 2. the tick at this scale ------------------------------------------------------
    std::atomic<bool> timed = false;
    EngineBenchAccess::post(engine, [&](broker::Broker& broker) {
        timeTicks(broker, config, setup, ticks);
        timed = true;
    });
    runUntil([&] { return timed.load(); }, std::chrono::minutes(10));
    engine.waitIdle(std::chrono::minutes(2));
    printDistribution("broker.observe(), one tick", ticks.observeMs, "ms");
    std::printf("  %-58s %8.1f ms\n", "  engine thread CPU per tick", ticks.brokerCpuMsPerTick);
    std::printf("  %-58s %8.1f ms\n", "  helpers' CPU per tick (all 64 together)",
                ticks.helpersCpuMsPerTick);
    printDistribution("  sysmap::scanSocketHolders() of the same sockets", ticks.procScanMs, "ms");
    std::printf("  %-58s %8zu\n", "  journal entries per steady tick", ticks.entriesPerTick);
    std::printf("  the 10 Hz tick %s: one tick takes %.0f ms, i.e. %.1f ticks per second\n",
                percentile(ticks.observeMs, 0.5) > 100 ? "does NOT keep up" : "keeps up",
                percentile(ticks.observeMs, 0.5), 1000 / percentile(ticks.observeMs, 0.5));
    std::fflush(stdout);

    auto helpersCpu = [&] {
        double total = 0;
        for (pid_t pid : setup.helperPids)
            total += statCpuSeconds("/proc/" + std::to_string(pid) + "/stat");
        return total;
    };
    auto measure = [&](PhaseFigures& phase, const std::function<void()>& body) {
        application.startPhase();
        const double gui = threadCpuSeconds(guiClock);
        const double engineCpu = threadCpuSeconds(setup.engineClock);
        const double helpers = helpersCpu();
        phase.from = Clock::now();
        body();
        phase.to = Clock::now();
        phase.guiCpuSeconds = threadCpuSeconds(guiClock) - gui;
        phase.engineCpuSeconds = threadCpuSeconds(setup.engineClock) - engineCpu;
        phase.helpersCpuSeconds = helpersCpu() - helpers;
        phase.costs = application.costs();
        phase.batchMs = application.batchMs();
    };

    // ---- 3. quiet steady state: only the tick ------------------------------------------------
    PhaseFigures quiet;
    measure(quiet, [&] {
        runFor(std::chrono::duration_cast<Clock::duration>(
            std::chrono::duration<double>(config.steadySeconds)));
    });
    printPhase("steady, nothing changes (the tick runs back to back)", quiet, busy);
    std::fflush(stdout);

    std::mt19937 random(20240611);
    auto pickDescriptor =
        [&](ProcessId process,
            const std::set<DescriptorRef>& avoid) -> std::optional<DescriptorRef> {
        const State& state = session.state();
        std::vector<DescriptorRef> open;
        for (auto it = state.descriptors.lower_bound(DescriptorRef{process, Handle(0)});
             it != state.descriptors.end() && it->first.process == process; ++it) {
            if (it->second.open && !avoid.contains(it->first))
                open.push_back(it->first);
        }
        if (open.empty())
            return std::nullopt;
        return open[std::uniform_int_distribution<std::size_t>(0, open.size() - 1)(random)];
    };
    std::vector<ProcessId> helperIds;
    for (const auto& [id, process] : session.state().processes) {
        if (process.helper && process.alive)
            helperIds.push_back(id);
    }
    std::set<DescriptorRef> used;

    // ---- 4. closes the broker did not command ---------------------------------------------
    PhaseFigures churn;
    std::vector<std::size_t> uncommanded;
    std::string injectionProblem;
    {
        OsChanger changer;
        std::set<ProcessId> busyHelpers; // GUI thread only: helpers with a probe under way
        measure(churn, [&] {
            std::uniform_int_distribution<int> gap(config.probeGapMs / 4,
                                                   config.probeGapMs * 7 / 4);
            for (int i = 0; i < config.uncommanded && injectionProblem.empty(); ++i) {
                runFor(milliseconds(gap(random)));
                // A helper is busy until both models showed its close (or it failed).
                busyHelpers.clear();
                {
                    std::lock_guard lock(probes.mutex);
                    for (std::size_t index : uncommanded) {
                        const Probe& probe = probes.all[index];
                        if (!probe.seen() && probe.error.empty())
                            busyHelpers.insert(probe.ref.process);
                    }
                }
                std::vector<ProcessId> idle;
                for (ProcessId id : helperIds) {
                    if (!busyHelpers.contains(id))
                        idle.push_back(id);
                }
                if (idle.empty())
                    continue;
                const ProcessId helper =
                    idle[std::uniform_int_distribution<std::size_t>(0, idle.size() - 1)(random)];
                const std::optional<DescriptorRef> victim = pickDescriptor(helper, used);
                if (!victim)
                    continue;
                used.insert(*victim);
                busyHelpers.insert(helper);
                Probe probe;
                probe.ref = *victim;
                probe.socket = session.state().descriptor(*victim)->socket;
                probe.pid = pid_t(session.state().process(helper)->pid.value());
                const std::size_t index = probes.add(probe);
                uncommanded.push_back(index);
                changer.close(probe.pid, int(victim->handle.value()),
                              [&, index](const Injection& injection) {
                                  std::lock_guard lock(probes.mutex);
                                  if (injection.ok)
                                      probes.all[index].happened = injection.at;
                                  else
                                      probes.all[index].error = injection.why;
                              });
                // The first failure says whether injection works here at all.
                if (i == 0) {
                    runUntil(
                        [&] {
                            std::lock_guard lock(probes.mutex);
                            return probes.all[index].happened || !probes.all[index].error.empty();
                        },
                        std::chrono::seconds(10));
                    std::lock_guard lock(probes.mutex);
                    if (!probes.all[index].happened)
                        injectionProblem = probes.all[index].error.empty()
                                               ? "no answer from the injection"
                                               : probes.all[index].error;
                }
            }
            // The last ones: until every injected close is in both models.
            runUntil(
                [&] {
                    std::lock_guard lock(probes.mutex);
                    return std::all_of(uncommanded.begin(), uncommanded.end(), [&](std::size_t i) {
                        const Probe& probe = probes.all[i];
                        return !probe.error.empty() || probe.seen();
                    });
                },
                std::chrono::seconds(60));
        });
    }
    engine.waitIdle(std::chrono::minutes(2));
    runFor(milliseconds(int(2 * percentile(ticks.observeMs, 0.5))));

    // ---- 5. commanded closes: Engine::close, at a random phase of the tick -------------------
    PhaseFigures commandPhase;
    std::vector<std::size_t> commanded;
    measure(commandPhase, [&] {
        const int tickMs = int(std::max(100.0, percentile(ticks.observeMs, 0.5)));
        for (int i = 0; i < config.commands; ++i) {
            runFor(milliseconds(std::uniform_int_distribution<int>(0, tickMs)(random)));
            const ProcessId helper = helperIds[std::uniform_int_distribution<std::size_t>(
                0, helperIds.size() - 1)(random)];
            const std::optional<DescriptorRef> victim = pickDescriptor(helper, used);
            if (!victim)
                continue;
            used.insert(*victim);
            Probe probe;
            probe.ref = *victim;
            probe.socket = session.state().descriptor(*victim)->socket;
            probe.commanded = true;
            probe.posted = Clock::now();
            const std::size_t index = probes.add(probe);
            commanded.push_back(index);
            engine.close(*victim);
            runUntil(
                [&] {
                    std::lock_guard lock(probes.mutex);
                    return probes.all[index].seen();
                },
                std::chrono::seconds(60));
        }
    });

    // ---- 6. report ----------------------------------------------------------------------
    printPhase("uncommanded closes injected into helpers (one every ~0.1-0.7 s)", churn, busy);
    printPhase("commanded closes (Engine::close, one at a time)", commandPhase, busy);

    std::vector<double> osToModel, osToRows, osToJournal, journalToModel, journalToBatch,
        batchToModel, commandOsToModel, clickToModel, clickToOs;
    // The batch that carried a probe: the last one the GUI began to apply before the row went.
    const std::vector<Clock::time_point>& batchStarts = application.batchStarts();
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
    const double p99 = percentile(osToModel.empty() ? commandOsToModel : osToModel, 0.99);
    std::printf("  p99 OS change -> models: %.0f ms (target < 100 ms: %s)\n", p99,
                p99 < 100 ? "met" : "NOT met");
    if (missing)
        std::printf("  %zu probe(s) never reached the models%s%s\n", missing,
                    firstError.empty() ? "" : ": ", firstError.c_str());

    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    const double peakMiB = double(usage.ru_maxrss) / 1024.0;
    double helpersRss = 0, helpersPeak = 0;
    for (pid_t pid : setup.helperPids) {
        helpersRss += statusMiB("/proc/" + std::to_string(pid) + "/status", "VmRSS:");
        helpersPeak += statusMiB("/proc/" + std::to_string(pid) + "/status", "VmHWM:");
    }
    std::printf("\nmemory:\n");
    std::printf("  app process (GUI + engine + broker): peak RSS %.0f MiB (target < 400 MiB: %s)\n",
                peakMiB, peakMiB < 400 ? "met" : "NOT met");
    std::printf(
        "    RSS at start %.0f MiB, window shown %.0f MiB, session built %.0f MiB, now %.0f "
        "MiB\n",
        rssStartMiB, rssWindowMiB, rssBuiltMiB, statusMiB("/proc/self/status", "VmRSS:"));
    const struct mallinfo2 heap = ::mallinfo2();
    std::printf("    heap in use (malloc) %.0f MiB; journal vectors alone (capacity x %zu B): GUI "
                "%.0f MiB, broker %.0f MiB\n",
                double(heap.uordblks + heap.hblkhd) / 1048576.0, sizeof(JournalEntry),
                double(session.journal().entries().capacity() * sizeof(JournalEntry)) / 1048576.0,
                double(ticks.brokerJournalCapacity * sizeof(JournalEntry)) / 1048576.0);
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
                config.helpers, helpersRss, helpersPeak);
    std::printf("\ntotal run %.0f s\n", seconds(Clock::now() - setupStart));
    std::fflush(stdout);
    return 0;
}
