#include "broker/child_process.h"

#include "broker/broker_error.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <poll.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace socklens::broker {

namespace {

std::string describeStatus(int status) {
    if (WIFSIGNALED(status)) {
        const int signal = WTERMSIG(status);
        const char* name = sigabbrev_np(signal);
        return "killed by signal " + std::to_string(signal) +
               (name ? " (SIG" + std::string(name) + ")" : std::string());
    }
    return "exited with status " + std::to_string(WEXITSTATUS(status));
}

/// Our environment with each "NAME=VALUE" of `overrides` replacing the variable of that name.
std::vector<std::string> mergedEnvironment(const std::vector<std::string>& overrides) {
    std::vector<std::string> merged;
    for (char** variable = environ; *variable; ++variable) {
        const std::string entry = *variable;
        const std::string name = entry.substr(0, entry.find('=') + 1);
        bool replaced = false;
        for (const std::string& override : overrides)
            replaced = replaced || override.rfind(name, 0) == 0;
        if (!replaced)
            merged.push_back(entry);
    }
    merged.insert(merged.end(), overrides.begin(), overrides.end());
    return merged;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> result;
    for (std::string& string : strings)
        result.push_back(string.data());
    result.push_back(nullptr);
    return result;
}

/// posix_spawn's file actions, released however startChild leaves.
class SpawnActions {
public:
    SpawnActions() { ::posix_spawn_file_actions_init(&actions_); }
    ~SpawnActions() { ::posix_spawn_file_actions_destroy(&actions_); }
    SpawnActions(const SpawnActions&) = delete;
    SpawnActions& operator=(const SpawnActions&) = delete;
    posix_spawn_file_actions_t* get() { return &actions_; }

private:
    posix_spawn_file_actions_t actions_;
};

} // namespace

OsPid startChild(const ChildSpec& spec) {
    std::vector<std::string> arguments = spec.argv;
    std::vector<std::string> overrides = spec.environment;
    const std::string brokerPid = std::string(kBrokerPidVariable) + "=";
    if (std::none_of(overrides.begin(), overrides.end(),
                     [&](const std::string& set) { return set.starts_with(brokerPid); }))
        overrides.push_back(brokerPid + std::to_string(::getpid()));
    std::vector<std::string> environment = mergedEnvironment(overrides);
    const std::vector<char*> argv = pointers(arguments);
    const std::vector<char*> envp = pointers(environment);
    SpawnActions actions;
    // dup2 clears close-on-exec on the copy; glibc clears it also when both are the same fd.
    for (const auto& [ours, theirs] : spec.descriptors) {
        if (const int error = ::posix_spawn_file_actions_adddup2(actions.get(), ours, theirs))
            throw BrokerError("cannot start " + spec.program + ": " + std::strerror(error));
    }
    pid_t child = -1;
    if (const int error = ::posix_spawn(&child, spec.program.c_str(), actions.get(), nullptr,
                                        argv.data(), envp.data()))
        throw BrokerError("cannot start " + spec.program + ": " + std::strerror(error));
    return OsPid(child);
}

bool awaitExit(OsPid pid, std::chrono::milliseconds bound) {
    const int pidFd = int(::syscall(SYS_pidfd_open, pid_t(pid.value()), 0));
    if (pidFd < 0)
        return errno == ESRCH; // already gone (and reaped)
    pollfd exited{pidFd, POLLIN, 0};
    const bool ended = ::poll(&exited, 1, int(bound.count())) > 0;
    ::close(pidFd);
    return ended;
}

ChildEnd waitForChild(OsPid pid) {
    int status = 0;
    pid_t reaped = -1;
    do
        reaped = ::waitpid(pid_t(pid.value()), &status, 0);
    while (reaped < 0 && errno == EINTR);
    if (reaped != pid_t(pid.value()))
        return {false, "ended (status unavailable)"};
    return {WIFEXITED(status) && WEXITSTATUS(status) == 0, describeStatus(status)};
}

std::string reapChild(OsPid pid, std::chrono::milliseconds bound) {
    if (!awaitExit(pid, bound)) {
        ::kill(pid_t(pid.value()), SIGKILL);
        awaitExit(pid, bound);
    }
    return waitForChild(pid).description;
}

} // namespace socklens::broker
