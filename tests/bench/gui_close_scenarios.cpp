#include "gui_close_scenarios.h"

#include "gui_event_loop.h"
#include "models/engine.h"
#include "models/session.h"

#include <algorithm>
#include <mutex>

namespace socklens::bench {

using std::chrono::milliseconds;

CloseScenarios::CloseScenarios(const ui::Session& session, ui::Engine& engine, Probes& probes)
    : session_(session)
    , engine_(engine)
    , probes_(probes) {
    for (const auto& [id, process] : session_.state().processes) {
        if (process.helper && process.alive)
            helperIds_.push_back(id);
    }
}

std::optional<DescriptorRef> CloseScenarios::pickDescriptor(ProcessId process) {
    const State& state = session_.state();
    std::vector<DescriptorRef> open;
    for (auto it = state.descriptors.lower_bound(DescriptorRef{process, Handle(0)});
         it != state.descriptors.end() && it->first.process == process; ++it) {
        if (it->second.open && !used_.contains(it->first))
            open.push_back(it->first);
    }
    if (open.empty())
        return std::nullopt;
    return open[std::uniform_int_distribution<std::size_t>(0, open.size() - 1)(random_)];
}

std::string CloseScenarios::closeUncommanded(const Config& config, OsChanger& changer) {
    std::string problem;
    std::set<ProcessId> busyHelpers; // GUI thread only: helpers with a probe under way
    std::uniform_int_distribution<int> gap(config.probeGapMs / 4, config.probeGapMs * 7 / 4);
    for (int i = 0; i < config.uncommanded && problem.empty(); ++i) {
        runFor(milliseconds(gap(random_)));
        // A helper is busy until both models showed its close (or it failed).
        busyHelpers.clear();
        {
            std::lock_guard lock(probes_.mutex);
            for (std::size_t index : uncommanded_) {
                const Probe& probe = probes_.all[index];
                if (!probe.seen() && probe.error.empty())
                    busyHelpers.insert(probe.ref.process);
            }
        }
        std::vector<ProcessId> idle;
        for (ProcessId id : helperIds_) {
            if (!busyHelpers.contains(id))
                idle.push_back(id);
        }
        if (idle.empty())
            continue;
        const ProcessId helper =
            idle[std::uniform_int_distribution<std::size_t>(0, idle.size() - 1)(random_)];
        const std::optional<DescriptorRef> victim = pickDescriptor(helper);
        if (!victim)
            continue;
        used_.insert(*victim);
        busyHelpers.insert(helper);
        Probe probe;
        probe.ref = *victim;
        probe.socket = session_.state().descriptor(*victim)->socket;
        probe.pid = pid_t(session_.state().process(helper)->pid.value());
        const std::size_t index = probes_.add(probe);
        uncommanded_.push_back(index);
        changer.close(probe.pid, int(victim->handle.value()),
                      [&, index](const Injection& injection) {
                          std::lock_guard lock(probes_.mutex);
                          if (injection.ok)
                              probes_.all[index].happened = injection.at;
                          else
                              probes_.all[index].error = injection.why;
                      });
        // The first failure says whether injection works here at all.
        if (i == 0) {
            runUntil(
                [&] {
                    std::lock_guard lock(probes_.mutex);
                    return probes_.all[index].happened || !probes_.all[index].error.empty();
                },
                std::chrono::seconds(10));
            std::lock_guard lock(probes_.mutex);
            if (!probes_.all[index].happened)
                problem = probes_.all[index].error.empty() ? "no answer from the injection"
                                                           : probes_.all[index].error;
        }
    }
    // The last ones: until every injected close is in both models.
    runUntil(
        [&] {
            std::lock_guard lock(probes_.mutex);
            return std::all_of(uncommanded_.begin(), uncommanded_.end(), [&](std::size_t i) {
                const Probe& probe = probes_.all[i];
                return !probe.error.empty() || probe.seen();
            });
        },
        std::chrono::seconds(60));
    return problem;
}

void CloseScenarios::closeCommanded(const Config& config, int tickMs) {
    for (int i = 0; i < config.commands; ++i) {
        runFor(milliseconds(std::uniform_int_distribution<int>(0, tickMs)(random_)));
        const ProcessId helper = helperIds_[std::uniform_int_distribution<std::size_t>(
            0, helperIds_.size() - 1)(random_)];
        const std::optional<DescriptorRef> victim = pickDescriptor(helper);
        if (!victim)
            continue;
        used_.insert(*victim);
        Probe probe;
        probe.ref = *victim;
        probe.socket = session_.state().descriptor(*victim)->socket;
        probe.commanded = true;
        probe.posted = Clock::now();
        const std::size_t index = probes_.add(probe);
        commanded_.push_back(index);
        engine_.close(*victim);
        runUntil(
            [&] {
                std::lock_guard lock(probes_.mutex);
                return probes_.all[index].seen();
            },
            std::chrono::seconds(60));
    }
}

} // namespace socklens::bench
