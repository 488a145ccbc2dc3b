// The Machine view (View ▸ Machine) open over a machine with many shared sockets, refreshed at
// 1 Hz as the app does (issue 10, "Performance": GUI thread < 25 % busy, RSS < 400 MB). The
// view is shown on the offscreen platform for N seconds; the GUI thread's CPU time is read
// from /proc/self/task/TID/stat every second, and the process's VmRSS / VmHWM at the end.
// Prints the figures; asserts nothing. Figures: docs/performance.md, "The Machine view".
#include "bench_options.h"
#include "models/machine_map_model.h"
#include "proc_readings.h"
#include "shared_sockets_machine.h"
#include "widgets/machine_view.h"

#include <QApplication>
#include <QCheckBox>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <vector>

namespace {

using namespace socklens::bench;

struct Options {
    int parents = 100;
    int pairs = 50;
    int seconds = 20;
    bool shared = false; ///< the "Shared only" box
};

Options parseOptions(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string argument = argv[i];
        auto number = [&](const char* name, int& value) {
            return socklens::bench::numberOption(argument, name, value);
        };
        if (argument == "--shared")
            options.shared = true;
        else if (!number("parents", options.parents) && !number("pairs", options.pairs) &&
                 !number("seconds", options.seconds)) {
            std::fprintf(stderr, "usage: %s [--parents=N] [--pairs=N] [--seconds=N] [--shared]\n",
                         argv[0]);
            std::exit(2);
        }
    }
    return options;
}

} // namespace

int main(int argc, char** argv) {
    const Options options = parseOptions(argc, argv);
    if (!socklens::bench::SharedSocketsMachine::fitsDescriptorLimit(options.pairs))
        return 1;
    // Forked before Qt starts any thread.
    socklens::bench::SharedSocketsMachine machine(options.parents, options.pairs);
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    int qtArgc = 1;
    QApplication application(qtArgc, argv);
    const std::string guiStat =
        "/proc/self/task/" + std::to_string(::syscall(SYS_gettid)) + "/stat";
    const double rssStart = statusMiB("/proc/self/status", "VmRSS:");

    socklens::ui::MachineView view;
    view.findChild<QCheckBox*>()->setChecked(options.shared);
    view.resize(1280, 800);
    int refreshes = 0;
    std::size_t rows = 0;
    QObject::connect(&view.model(), &socklens::ui::MachineMapModel::refreshed, [&] {
        ++refreshes;
        rows = std::size_t(view.model().rowCount());
    });

    const double guiStart = statCpuSeconds(guiStat);
    const double processStart = statCpuSeconds("/proc/self/stat");
    const double loadStart = loadAverage();
    std::vector<double> perSecond; // GUI thread CPU of each second, in %
    double guiLast = guiStart;
    QTimer sampler;
    sampler.setInterval(1000);
    QObject::connect(&sampler, &QTimer::timeout, [&] {
        const double gui = statCpuSeconds(guiStat);
        perSecond.push_back(100 * (gui - guiLast));
        guiLast = gui;
        if (int(perSecond.size()) >= options.seconds)
            application.quit();
    });
    view.show();
    sampler.start();
    application.exec();

    const double guiCpu = statCpuSeconds(guiStat) - guiStart;
    const double processCpu = statCpuSeconds("/proc/self/stat") - processStart;
    std::vector<double> sorted = perSecond;
    std::sort(sorted.begin(), sorted.end());
    std::printf("machine: %d processes, %d socket descriptors (each socket held by 2); "
                "filter: %s\n",
                2 * options.parents, 4 * options.parents * options.pairs,
                options.shared ? "shared only" : "none");
    std::printf("view open %zu s: %d refreshes, %zu rows at the end\n", perSecond.size(), refreshes,
                rows);
    std::printf("GUI thread busy: mean %.1f %%, median second %.1f %%, busiest second %.1f %% "
                "(target < 25 %%)\n",
                100 * guiCpu / double(perSecond.size()), sorted[sorted.size() / 2], sorted.back());
    std::printf("whole process CPU (GUI + readers): %.1f %% of one core\n",
                100 * processCpu / double(perSecond.size()));
    std::printf("RSS: %.0f MiB before the view, %.0f MiB at the end, peak (VmHWM) %.0f MiB "
                "(target < 400 MB)\n",
                rssStart, statusMiB("/proc/self/status", "VmRSS:"),
                statusMiB("/proc/self/status", "VmHWM:"));
    std::printf("load average: %.2f at the start, %.2f at the end\n", loadStart, loadAverage());
    return refreshes > 0 ? 0 : 1;
}
