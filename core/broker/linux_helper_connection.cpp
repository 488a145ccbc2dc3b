#include "broker/linux_helper_connection.h"

#include "broker/broker_error.h"
#include "broker/child_process.h"
#include "platform/posix/peer_credentials.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace socklens::broker {

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
    const OsPid child =
        startChild({helperPath, {helperPath, "--channel-fd", "3"}, {{theirs.get(), 3}}, {}});
    return std::unique_ptr<HelperConnection>(
        new LinuxHelperConnection(std::move(ours), child, true));
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
    reaped_ = true;
    if (!spawned_) {
        awaitExit(pid(), bound); // not our child: no status to read
        return "killed by signal 9 (SIGKILL)";
    }
    return reapChild(pid(), bound);
}

} // namespace socklens::broker
