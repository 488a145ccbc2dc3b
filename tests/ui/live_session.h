// A session with a real engine and real helpers, for GUI tests.
#pragma once

#include "models/engine.h"
#include "models/session.h"
#include "scenario/scenario.h"

#include <QSignalSpy>
#include <chrono>

namespace socklens::testing {

inline broker::BrokerOptions liveOptions() {
    broker::BrokerOptions options;
    options.helperPath = SOCKLENS_HELPER_PATH;
    return options;
}

struct LiveSession {
    ui::Session session;
    ui::Engine engine{session, liveOptions()};

    /// Every posted command has run and its entries are in the session.
    bool settle() { return engine.waitIdle(std::chrono::seconds(20)); }

    /// The first process with this name, after settle().
    ProcessId process(const std::string& name) const {
        for (const auto& [id, process] : session.state().processes) {
            if (process.name == name)
                return id;
        }
        return ProcessId();
    }
    /// Open descriptors of a process, in handle order.
    std::vector<DescriptorRef> descriptorsOf(ProcessId process) const {
        std::vector<DescriptorRef> refs;
        for (const auto& [ref, descriptor] : session.state().descriptors) {
            if (ref.process == process && descriptor.open)
                refs.push_back(ref);
        }
        return refs;
    }
};

/// A live session that ran a built-in scenario (the handoff demo by default) to its end.
struct DemoSession : LiveSession {
    explicit DemoSession(const std::string& scenario = "builtin:handoff") {
        QSignalSpy finished(&engine, &ui::Engine::scenarioFinished);
        engine.runScenario(scenario::loadScenario(scenario));
        ran = finished.wait(60000) && settle();
    }
    bool ran = false;
};

} // namespace socklens::testing
