#include "broker/child_process.h"

#include "broker/broker_error.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
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

} // namespace

OsPid startChild(const ChildSpec& spec) {
    // Everything the child needs is prepared before fork: after it only async-signal-safe calls.
    std::vector<std::string> arguments = spec.argv;
    std::vector<std::string> environment = mergedEnvironment(spec.environment);
    const std::vector<char*> argv = pointers(arguments);
    const std::vector<char*> envp = pointers(environment);
    const pid_t child = ::fork();
    if (child < 0)
        throw BrokerError("cannot start " + spec.program +
                          ": fork failed: " + std::strerror(errno));
    if (child == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL); // a helper never outlives its broker
        for (const auto& [ours, theirs] : spec.descriptors) {
            if (ours == theirs)
                ::fcntl(theirs, F_SETFD, 0);
            else
                ::dup2(ours, theirs); // dup2 clears close-on-exec on the copy
        }
        ::execve(spec.program.c_str(), argv.data(), envp.data());
        ::_exit(127);
    }
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

std::string reapChild(OsPid pid, std::chrono::milliseconds bound) {
    if (!awaitExit(pid, bound)) {
        ::kill(pid_t(pid.value()), SIGKILL);
        awaitExit(pid, bound);
    }
    int status = 0;
    if (::waitpid(pid_t(pid.value()), &status, 0) != pid_t(pid.value()))
        return "ended (status unavailable)";
    return describeStatus(status);
}

} // namespace socklens::broker
