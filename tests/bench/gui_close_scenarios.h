// The GUI benchmark's two close scenarios: closes the broker did not command (injected into
// helpers, seen only by the tick) and closes commanded through Engine::close. Each close is a
// latency probe.
#pragma once

#include "gui_bench_config.h"
#include "latency_probes.h"
#include "syscall_injection.h"

#include <cstddef>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace socklens::ui {
class Engine;
class Session;
} // namespace socklens::ui

namespace socklens::bench {

/// Picks the descriptors to close (at random, each at most once) among the session's helpers
/// and adds a probe for each close.
class CloseScenarios {
public:
    CloseScenarios(const ui::Session& session, ui::Engine& engine, Probes& probes);

    /// config.uncommanded closes through `changer`, one every ~config.probeGapMs, each in a
    /// helper with no close under way; returns once each is in both models (or failed). The
    /// answer: why injection does not work here, or empty.
    std::string closeUncommanded(const Config& config, OsChanger& changer);

    /// config.commands closes through Engine::close, one at a time, each at a random phase of
    /// a tick of `tickMs`.
    void closeCommanded(const Config& config, int tickMs);

    const std::vector<std::size_t>& uncommanded() const { return uncommanded_; }
    const std::vector<std::size_t>& commanded() const { return commanded_; }

private:
    std::optional<DescriptorRef> pickDescriptor(ProcessId process);

    const ui::Session& session_;
    ui::Engine& engine_;
    Probes& probes_;
    std::mt19937 random_{20240611};
    std::vector<ProcessId> helperIds_;
    std::set<DescriptorRef> used_;
    std::vector<std::size_t> uncommanded_;
    std::vector<std::size_t> commanded_;
};

} // namespace socklens::bench
