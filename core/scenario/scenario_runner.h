// Runs a scenario's steps through the broker and checks its expectations against the state
// folded from what the OS reported. Every step and outcome goes into the journal.
#pragma once

#include "broker/broker.h"
#include "scenario/scenario.h"

#include <map>

namespace socklens::scenario {

struct RunResult {
    bool passed = true;
    int failedSteps = 0;
    std::string firstFailure; ///< "handoff.scenario:14: expect count conn == 3: observed 2"
};

class ScenarioRunner {
public:
    ScenarioRunner(broker::Broker& broker, Scenario scenario);

    /// Runs every step. A failed expectation is recorded and the run goes on; a step that
    /// could not be carried out (a failed command) ends the run.
    RunResult run();

private:
    struct Evaluation {
        bool holds = false;
        std::string observed;
        std::vector<Sequence> evidence;
    };

    /// Returns the outcome text; throws broker::BrokerError when the step cannot be done.
    std::string perform(const Step& step, bool& passed, std::vector<Sequence>& evidence);
    Evaluation evaluate(const Condition& condition) const;
    void citeLatestCount(const DescriptorRef& ref, std::vector<Sequence>& evidence) const;
    ProcessId process(const std::string& name) const;
    DescriptorRef descriptor(const std::string& name) const;
    const SocketState& socketOf(const std::string& name) const;
    std::string processName(ProcessId id) const;

    broker::Broker& broker_;
    Scenario scenario_;
    std::map<std::string, ProcessId> processes_;
    std::map<std::string, DescriptorRef> descriptors_;
    std::map<std::string, std::pair<std::string, Sequence>> received_;
    Sequence eventsSince_;
};

} // namespace socklens::scenario
