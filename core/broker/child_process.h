// Starting, waiting for and reaping the helper processes the broker spawns, whatever their
// kind (a Linux helper, or Wine running the Winsock helper).
#pragma once

#include "model/ids.h"

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace socklens::broker {

struct ChildSpec {
    std::string program;           ///< a path; not searched in PATH
    std::vector<std::string> argv; ///< argv[0] first
    /// (our fd, the child's fd): each of ours becomes that descriptor in the child.
    std::vector<std::pair<int, int>> descriptors;
    /// "NAME=VALUE" set in the child's environment on top of ours.
    std::vector<std::string> environment;
};

/// Set in every child's environment to the broker's pid. posix_spawn cannot give a child
/// PR_SET_PDEATHSIG, so socklens-helper sets it itself at start and exits if its parent is
/// no longer this pid (the broker died before it could ask). docs/hardening.md.
inline constexpr const char* kBrokerPidVariable = "SOCKLENS_BROKER_PID";

/// Starts `spec` with posix_spawn: no fork() of the broker, which is multithreaded (and
/// under ThreadSanitizer fork is not supported). Only `spec.descriptors` and descriptors
/// without close-on-exec are inherited. Throws BrokerError, also when exec fails.
OsPid startChild(const ChildSpec& spec);

/// Waits up to `bound` for `pid` to end (through a pidfd); returns whether it did.
bool awaitExit(OsPid pid, std::chrono::milliseconds bound);

/// How a child of ours ended.
struct ChildEnd {
    bool succeeded = false;  ///< exited with status 0
    std::string description; ///< "exited with status 3", "killed by signal 9 (SIGKILL)"
};

/// Waits for a child of ours to end, however long that takes, and reaps it.
ChildEnd waitForChild(OsPid pid);

/// Reaps a child of ours: waits up to `bound`, then SIGKILLs it and waits again. Says how it
/// ended: "exited with status 0", "killed by signal 9 (SIGKILL)".
std::string reapChild(OsPid pid, std::chrono::milliseconds bound);

} // namespace socklens::broker
