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
//
// This file runs the phases in order; the parts: the options (gui_bench_config), the session
// and the tick (gui_session_setup), the GUI thread's meters (gui_thread_meters), the closes
// (gui_close_scenarios, syscall_injection, latency_probes) and the printing (gui_report).
#include "gui_bench_config.h"
#include "gui_close_scenarios.h"
#include "gui_event_loop.h"
#include "gui_report.h"
#include "gui_session_setup.h"
#include "gui_thread_meters.h"
#include "latency_probes.h"
#include "models/descriptors_model.h"
#include "models/engine.h"
#include "models/session.h"
#include "models/sockets_model.h"
#include "proc_readings.h"
#include "sample_statistics.h"
#include "syscall_injection.h"
#include "widgets/main_window.h"

#include <QAbstractEventDispatcher>
#include <QStandardPaths>
#include <QTabWidget>
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <functional>
#include <optional>
#include <pthread.h>
#include <string>
#include <sys/utsname.h>
#include <unistd.h>

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

using namespace socklens;
using namespace socklens::bench;
using namespace socklens::ui;
using std::chrono::milliseconds;

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
    watchModels(descriptors, sockets, probes);

    // ---- 1. build the session -----------------------------------------------------------
    SetupReport setup;
    TickReport ticks;
    std::atomic<bool> built = false;
    const Clock::time_point setupStart = Clock::now();
    EngineBenchAccess::post(engine, [&](broker::Broker& broker) {
        ::pthread_getcpuclockid(::pthread_self(), &setup.engineClock);
        watchJournal(broker, probes);
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
                nearestRankPercentile(ticks.observeMs, 0.5) > 100 ? "does NOT keep up" : "keeps up",
                nearestRankPercentile(ticks.observeMs, 0.5),
                1000 / nearestRankPercentile(ticks.observeMs, 0.5));
    std::fflush(stdout);

    auto measure = [&](PhaseFigures& phase, const std::function<void()>& body) {
        application.startPhase();
        const double gui = threadCpuSeconds(guiClock);
        const double engineCpu = threadCpuSeconds(setup.engineClock);
        const double helpers = helpersCpuSeconds(setup.helperPids);
        phase.from = Clock::now();
        body();
        phase.to = Clock::now();
        phase.guiCpuSeconds = threadCpuSeconds(guiClock) - gui;
        phase.engineCpuSeconds = threadCpuSeconds(setup.engineClock) - engineCpu;
        phase.helpersCpuSeconds = helpersCpuSeconds(setup.helperPids) - helpers;
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

    CloseScenarios scenarios(session, engine, probes);

    // ---- 4. closes the broker did not command ---------------------------------------------
    PhaseFigures churn;
    std::string injectionProblem;
    {
        OsChanger changer;
        measure(churn, [&] { injectionProblem = scenarios.closeUncommanded(config, changer); });
    }
    engine.waitIdle(std::chrono::minutes(2));
    runFor(milliseconds(int(2 * nearestRankPercentile(ticks.observeMs, 0.5))));

    // ---- 5. commanded closes: Engine::close, at a random phase of the tick -------------------
    PhaseFigures commandPhase;
    measure(commandPhase, [&] {
        scenarios.closeCommanded(config,
                                 int(std::max(100.0, nearestRankPercentile(ticks.observeMs, 0.5))));
    });

    // ---- 6. report ----------------------------------------------------------------------
    printPhase("uncommanded closes injected into helpers (one every ~0.1-0.7 s)", churn, busy);
    printPhase("commanded closes (Engine::close, one at a time)", commandPhase, busy);

    printLatencies(probes, scenarios.uncommanded(), scenarios.commanded(),
                   application.batchStarts(), injectionProblem);
    printMemory({rssStartMiB, rssWindowMiB, rssBuiltMiB}, session, ticks.brokerJournalCapacity,
                setup.helperPids);
    std::printf("\ntotal run %.0f s\n", seconds(Clock::now() - setupStart));
    std::fflush(stdout);
    return 0;
}
