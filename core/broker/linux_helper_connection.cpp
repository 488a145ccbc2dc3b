#include "broker/linux_helper_connection.h"

#include "broker/broker_error.h"
#include "platform/posix/peer_credentials.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

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

platform::UniqueFd openPidFd(OsPid pid) {
    return platform::UniqueFd(int(::syscall(SYS_pidfd_open, pid_t(pid.value()), 0)));
}

} // namespace

LinuxHelperConnection::LinuxHelperConnection(platform::UniqueFd channel, OsPid pid, bool spawned)
    : HelperConnection(pid)
    , channel_(std::move(channel))
    , spawned_(spawned) {}

LinuxHelperConnection::~LinuxHelperConnection() {
    if (spawned_ && !reaped_)
        end(true, std::chrono::milliseconds(1000));
}

std::unique_ptr<HelperConnection> LinuxHelperConnection::spawn(const std::string& helperPath) {
    if (::access(helperPath.c_str(), X_OK) != 0)
        throw BrokerError("cannot start the helper: " + helperPath + " is not an executable (" +
                          std::strerror(errno) + ")");
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
        throw BrokerError(std::string("cannot create the helper's control channel: ") +
                          std::strerror(errno));
    platform::UniqueFd ours(pair[0]);
    platform::UniqueFd theirs(pair[1]);
    const pid_t child = ::fork();
    if (child < 0)
        throw BrokerError(std::string("cannot start the helper: fork failed: ") +
                          std::strerror(errno));
    if (child == 0) {
        // Only async-signal-safe calls between fork and exec.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL); // the helper never outlives its broker
        if (theirs.get() == 3)
            ::fcntl(3, F_SETFD, 0);
        else
            ::dup2(theirs.get(), 3); // dup2 clears close-on-exec on fd 3
        const char* argv[] = {helperPath.c_str(), "--channel-fd", "3", nullptr};
        ::execv(helperPath.c_str(), const_cast<char* const*>(argv));
        ::_exit(127);
    }
    return std::unique_ptr<HelperConnection>(
        new LinuxHelperConnection(std::move(ours), OsPid(child), true));
}

std::unique_ptr<HelperConnection> LinuxHelperConnection::attach(const std::string& socketPath) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (socketPath.size() >= sizeof address.sun_path)
        throw BrokerError("cannot attach: the socket path " + socketPath + " is too long");
    std::memcpy(address.sun_path, socketPath.c_str(), socketPath.size() + 1);
    platform::UniqueFd socket(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!socket.valid() ||
        ::connect(socket.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
        throw BrokerError("cannot attach to " + socketPath + ": " + std::strerror(errno) +
                          " (is `socklens-helper --listen` running?)");
    const uid_t peer = platform::peerUid(socket.get());
    if (peer != ::geteuid())
        throw BrokerError("refusing to attach to " + socketPath +
                          ": the process behind it runs as uid " + std::to_string(peer) +
                          ", not as you (uid " + std::to_string(::geteuid()) + ")");
    // The pid comes from the helper's Hello.
    return std::unique_ptr<HelperConnection>(
        new LinuxHelperConnection(std::move(socket), OsPid(), false));
}

void LinuxHelperConnection::kill() {
    if (!reaped_ && pid().value() > 0) {
        ::kill(pid_t(pid().value()), SIGKILL);
        killed_ = true;
    }
}

std::string LinuxHelperConnection::end(bool killSpawned, std::chrono::milliseconds bound) {
    if (reaped_)
        return "already gone";
    if (spawned_ && killSpawned)
        kill();
    if (!spawned_ && !killed_) {
        reaped_ = true;
        return "disconnected";
    }
    const platform::UniqueFd pidFd = openPidFd(pid());
    if (pidFd.valid()) {
        pollfd exited{pidFd.get(), POLLIN, 0};
        if (::poll(&exited, 1, int(bound.count())) == 0 && spawned_) {
            kill();
            ::poll(&exited, 1, int(bound.count()));
        }
    }
    reaped_ = true;
    if (!spawned_)
        return "killed by signal 9 (SIGKILL)"; // not our child: no status to read
    int status = 0;
    if (::waitpid(pid_t(pid().value()), &status, 0) != pid_t(pid().value()))
        return "ended (status unavailable)";
    return describeStatus(status);
}

} // namespace socklens::broker
