#include "scenario/scenario_runner.h"

#include "broker/protocol_info.h"

#include <algorithm>
#include <charconv>

namespace socklens::scenario {

namespace {

std::optional<std::int64_t> asNumber(const std::string& text) {
    std::int64_t value = 0;
    const auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (failure != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

bool compare(Comparison comparison, const std::string& observed, const std::string& expected) {
    const auto left = asNumber(observed);
    const auto right = asNumber(expected);
    if (left && right) {
        switch (comparison) {
        case Comparison::Equal:
            return *left == *right;
        case Comparison::NotEqual:
            return *left != *right;
        case Comparison::Less:
            return *left < *right;
        case Comparison::LessEqual:
            return *left <= *right;
        case Comparison::Greater:
            return *left > *right;
        case Comparison::GreaterEqual:
            return *left >= *right;
        case Comparison::Holds:
            return true;
        }
    }
    switch (comparison) {
    case Comparison::Equal:
        return observed == expected;
    case Comparison::NotEqual:
        return observed != expected;
    default:
        return false; // ordering only compares numbers
    }
}

} // namespace

ScenarioRunner::ScenarioRunner(broker::Broker& broker, Scenario scenario)
    : broker_(broker)
    , scenario_(std::move(scenario)) {}

ProcessId ScenarioRunner::process(const std::string& name) const {
    return processes_.at(name);
}
DescriptorRef ScenarioRunner::descriptor(const std::string& name) const {
    return descriptors_.at(name);
}

const SocketState& ScenarioRunner::socketOf(const std::string& name) const {
    const DescriptorState* descriptor = broker_.state().descriptor(descriptors_.at(name));
    return *broker_.state().socket(descriptor->socket);
}

std::string ScenarioRunner::processName(ProcessId id) const {
    for (const auto& [name, known] : processes_) {
        if (known == id)
            return name;
    }
    const ProcessState* process = broker_.state().process(id);
    return process ? process->name : "none";
}

RunResult ScenarioRunner::run() {
    RunResult result;
    broker_.journal().append(entry::ScenarioStarted{scenario_.name, scenario_.source});
    for (const Step& step : scenario_.steps) {
        if (step.only && *step.only != broker_.options().backend) {
            // Shown, never silently dropped; without its claims, which it did not demonstrate.
            broker_.journal().append(entry::StepStarted{step.line, step.text, {}});
            broker_.journal().append(entry::StepFinished{
                step.line,
                true,
                "not run: this line is for the " + std::string(toString(*step.only)) +
                    " backend, and this run uses " +
                    std::string(toString(broker_.options().backend)),
                {},
                {}});
            continue;
        }
        broker_.pump(std::chrono::milliseconds(0)); // the steady tick runs between steps too
        broker_.journal().append(
            entry::StepStarted{step.line, step.text, step.claims,
                               step.verb == Verb::Kill || !step.expectedError.empty()});
        bool passed = true;
        std::vector<Sequence> evidence;
        std::string outcome;
        bool stop = false;
        try {
            outcome = perform(step, passed, evidence);
            if (!step.expectedError.empty()) {
                passed = false;
                outcome = "succeeded, but was expected to fail with " + step.expectedError + " (" +
                          outcome + ")";
            }
        } catch (const broker::BrokerError& error) {
            passed = error.codeName() == step.expectedError && !step.expectedError.empty();
            stop = !passed;
            outcome = passed ? "failed as expected with " + error.codeName() + ": " + error.what()
                             : error.what() + (step.expectedError.empty()
                                                   ? std::string()
                                                   : " (expected " + step.expectedError + ")");
            evidence.push_back(error.journaledAt().valid() ? error.journaledAt()
                                                           : broker_.journal().lastSequence());
        }
        broker_.journal().append(
            entry::StepFinished{step.line, passed, outcome, step.claims, evidence});
        if (!passed) {
            ++result.failedSteps;
            if (result.passed)
                result.firstFailure = scenario_.source + ":" + std::to_string(step.line) + ": " +
                                      step.text + ": " + outcome;
            result.passed = false;
        }
        if (stop)
            break;
    }
    const std::string summary =
        result.passed
            ? "all " + std::to_string(scenario_.steps.size()) + " steps passed"
            : std::to_string(result.failedSteps) + " step(s) failed; first: " + result.firstFailure;
    broker_.journal().append(entry::ScenarioFinished{result.passed, summary});
    return result;
}

std::string ScenarioRunner::perform(const Step& step, bool& passed,
                                    std::vector<Sequence>& evidence) {
    const auto& names = step.names;
    switch (step.verb) {
    case Verb::Spawn:
        processes_[names[0]] = broker_.spawnHelper(names[0]);
        return "started " + names[0];
    case Verb::Create: {
        const std::vector<DescriptorRef> refs = broker_.createSocket(process(names[0]), step.kind);
        std::string outcome = "created";
        for (std::size_t i = 1; i < names.size() && i - 1 < refs.size(); ++i) {
            descriptors_[names[i]] = refs[i - 1];
            outcome += " " + names[i] + " = fd " + std::to_string(refs[i - 1].handle.value());
        }
        return outcome;
    }
    case Verb::Duplicate:
    case Verb::HandOff: {
        const DescriptorRef source = descriptor(names[0]);
        const DescriptorRef result = step.verb == Verb::Duplicate
                                         ? broker_.duplicate(source, process(names[1]))
                                         : broker_.handOff(source, process(names[1]));
        descriptors_[names[2]] = result;
        citeLatestCount(result, evidence);
        return names[2] + " = fd " + std::to_string(result.handle.value()) + " in " + names[1];
    }
    case Verb::DuplicateToPid: {
        const std::vector<std::uint8_t> info =
            broker_.duplicateForPid(descriptor(names[0]), OsPid(step.value));
        return "WSADuplicateSocket filled " + std::to_string(info.size()) +
               " bytes of protocol info for pid " + std::to_string(step.value);
    }
    case Verb::Reuse:
        broker_.reuseProtocolInfo(descriptor(names[0])); // always refused (C8)
    case Verb::Dup: {
        const DescriptorRef source = descriptor(names[0]);
        descriptors_[names[1]] = broker_.duplicate(source, source.process);
        return names[1] + " = fd " + std::to_string(descriptors_[names[1]].handle.value());
    }
    case Verb::Set: {
        const std::int64_t effective =
            broker_.setOption(descriptor(names[0]), step.option, step.value);
        evidence.push_back(broker_.journal().lastSequence());
        return std::string(toString(step.option)) + " requested " + std::to_string(step.value) +
               ", effective " + std::to_string(effective);
    }
    case Verb::Get:
        return std::string(toString(step.option)) + " = " +
               std::to_string(broker_.getOption(descriptor(names[0]), step.option));
    case Verb::Register:
        // Counted from before the call: Winsock reports FD_WRITE at once for a writable socket.
        eventsSince_ = broker_.journal().lastSequence();
        broker_.registerEvents(descriptor(names[0]), step.mask, step.mechanism);
        return "registered " + eventMaskToString(step.mask) + " through " + names[0];
    case Verb::Send:
        return "sent " +
               std::to_string(
                   broker_.send(descriptor(names[0]), step.payload, step.fromSecondThread)) +
               " byte(s)" + (step.fromSecondThread ? " from a second thread" : "");
    case Verb::Receive: {
        const std::string bytes = broker_.receive(descriptor(names[0]), 64 * 1024);
        received_[names[0]] = {bytes, broker_.journal().lastSequence()};
        return "received \"" + bytes + "\"";
    }
    case Verb::Close:
        broker_.close(descriptor(names[0]));
        citeLatestCount(descriptor(names[0]), evidence);
        return "closed " + names[0];
    case Verb::NoInherit:
        broker_.setInheritable(descriptor(names[0]), false);
        return names[0] + " is not inherited by a child started later";
    case Verb::Kill:
        broker_.killHelper(process(names[0]));
        return "killed " + names[0];
    case Verb::StartChild: {
        const ProcessId child =
            broker_.startChild(process(names[0]), names[1], step.inheritHandles, step.within);
        processes_[names[1]] = child;
        return names[1] + " = pid " + std::to_string(broker_.state().process(child)->pid.value()) +
               ", a child of " + names[0] +
               (step.inheritHandles ? " inheriting its handles" : " inheriting nothing");
    }
    case Verb::Wait: {
        Evaluation evaluation;
        passed = broker_.waitUntil(
            [&](const State&) {
                evaluation = evaluate(*step.condition);
                return evaluation.holds;
            },
            step.within);
        evidence = evaluation.evidence;
        return (passed ? "holds: "
                       : "still not true after " + std::to_string(step.within.count()) + " ms: ") +
               step.condition->text + " (observed " + evaluation.observed + ")";
    }
    case Verb::Expect: {
        broker_.observeAll(); // judge by a fresh reading, not the last tick's
        const Evaluation evaluation = evaluate(*step.condition);
        passed = evaluation.holds;
        evidence = evaluation.evidence;
        return (passed ? "as expected: " : "not as expected: ") + step.condition->text +
               " (observed " + evaluation.observed + ")";
    }
    }
    return {};
}

void ScenarioRunner::citeLatestCount(const DescriptorRef& ref,
                                     std::vector<Sequence>& evidence) const {
    // The command observed its socket as it ended: that count, read from the OS, shows it.
    const State& state = broker_.state();
    const DescriptorState* descriptor = state.descriptor(ref);
    const SocketState* socket = descriptor ? state.socket(descriptor->socket) : nullptr;
    if (socket && !socket->countHistory.empty())
        evidence.push_back(socket->countHistory.back().at);
}

ScenarioRunner::Evaluation ScenarioRunner::evaluate(const Condition& condition) const {
    const State& state = broker_.state();
    Evaluation result;
    auto judge = [&](std::string observed) {
        result.holds = compare(condition.comparison, observed, condition.expected);
        result.observed = std::move(observed);
    };
    switch (condition.quantity) {
    case Quantity::Count: {
        const SocketState& socket = socketOf(condition.subject);
        if (!socket.countHistory.empty())
            result.evidence.push_back(socket.countHistory.back().at);
        judge(std::to_string(socket.count + socket.inFlight));
        break;
    }
    case Quantity::Option: {
        const DescriptorState* through = state.descriptor(descriptor(condition.subject));
        const auto option = *socketOptionFromString(condition.argument);
        auto it = through->options.find(option);
        if (it == through->options.end()) {
            result.observed = "not read";
            break;
        }
        result.evidence.push_back(it->second.at);
        judge(it->second.errorCode ? "error " + std::to_string(it->second.errorCode)
                                   : std::to_string(it->second.value));
        break;
    }
    case Quantity::Owner: {
        // Linux reads the owner back (F_GETOWN_EX); Winsock cannot, so there it is the last
        // registration made, and says so.
        const Registration& registration = socketOf(condition.subject).registration;
        const bool read = registration.readAt.value() != 0;
        result.evidence.push_back(read ? registration.readAt : registration.at);
        judge(registration.owner.valid() ? processName(registration.owner) : "none");
        if (!read)
            result.observed += " (last registration made; not read back from the OS)";
        break;
    }
    case Quantity::Mask: {
        const Registration& registration = socketOf(condition.subject).registration;
        result.evidence.push_back(registration.at);
        const auto expected = eventMaskFromString(condition.expected);
        result.observed = eventMaskToString(registration.mask);
        result.holds = expected && compare(condition.comparison, std::to_string(registration.mask),
                                           std::to_string(*expected));
        break;
    }
    case Quantity::Events: {
        const ProcessId who = process(condition.subject);
        const EventMask wanted = *eventMaskFromString(condition.argument);
        std::int64_t count = 0;
        for (const DeliveredEvent& event : state.events) {
            if (event.at > eventsSince_ && event.descriptor.process == who &&
                (event.events & wanted)) {
                ++count;
                result.evidence.push_back(event.at);
            }
        }
        judge(std::to_string(count));
        break;
    }
    case Quantity::Received: {
        auto it = received_.find(condition.subject);
        if (it != received_.end())
            result.evidence.push_back(it->second.second);
        judge(it == received_.end() ? std::string() : it->second.first);
        break;
    }
    case Quantity::TcpState:
        judge(socketOf(condition.subject).tcpState);
        break;
    case Quantity::Open:
    case Quantity::Closed: {
        // Open or closed is what the kernel says: its fd tables, and its socket lists once
        // no descriptor is left.
        const SocketState& socket = socketOf(condition.subject);
        if (!socket.countHistory.empty())
            result.evidence.push_back(socket.countHistory.back().at);
        result.holds = socket.open == (condition.quantity == Quantity::Open);
        if (socket.withoutDescriptor)
            result.observed = "open with no descriptor (the kernel still lists it)";
        else if (socket.open)
            result.observed = "open, " + std::to_string(socket.count) + " descriptor(s)";
        else
            result.observed = socket.lifetimeAt.value() != 0
                                  ? "closed (the kernel no longer lists it)"
                                  : "closed";
        break;
    }
    case Quantity::Holders: {
        const SocketState& socket = socketOf(condition.subject);
        if (!socket.countHistory.empty())
            result.evidence.push_back(socket.countHistory.back().at);
        std::string holders;
        for (const entry::Holder& holder : socket.holders)
            holders += (holders.empty() ? "" : ", ") + processName(holder.process) +
                       (holder.inheritance == entry::Inheritance::Unknown
                            ? ""
                            : " (" + std::string(toString(holder.inheritance)) + ")");
        judge(holders.empty() ? "none" : holders);
        break;
    }
    case Quantity::Flags: {
        const DescriptorState* descriptor = state.descriptor(this->descriptor(condition.subject));
        result.evidence.push_back(descriptor->openedAt);
        const ProcessState* process = state.process(descriptor->ref.process);
        judge(process->platform == Platform::WinsockWine
                  ? broker::describeWsaFlags(descriptor->wsaFlags)
                  : "not a Winsock descriptor");
        break;
    }
    case Quantity::Alive:
    case Quantity::Dead: {
        const ProcessState* process = state.process(this->process(condition.subject));
        result.holds = process->alive == (condition.quantity == Quantity::Alive);
        result.observed = process->alive ? "alive" : "dead: " + process->exitReason;
        break;
    }
    }
    return result;
}

} // namespace socklens::scenario
