// How the broker names processes, descriptors and sockets in journal texts.
#pragma once

#include "model/socket_identity.h"
#include "model/state.h"

#include <string>

namespace socklens::broker {

/// "worker:5", the process's name and the handle.
std::string describeDescriptor(const State& state, const DescriptorRef& ref);
/// "worker (pid 4242)".
std::string processLabel(const State& state, ProcessId id);

} // namespace socklens::broker
