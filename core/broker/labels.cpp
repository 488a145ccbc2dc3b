#include "broker/labels.h"

namespace socklens::broker {

std::string describeDescriptor(const State& state, const DescriptorRef& ref) {
    const ProcessState* process = state.process(ref.process);
    return (process ? process->name : toString(ref)) + ":" + std::to_string(ref.handle.value());
}

std::string processLabel(const State& state, ProcessId id) {
    const ProcessState* process = state.process(id);
    return process ? process->name + " (pid " + std::to_string(process->pid.value()) + ")"
                   : "P" + std::to_string(id.value());
}

} // namespace socklens::broker
