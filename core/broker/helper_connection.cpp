#include "broker/helper_connection.h"

#include "broker/broker_error.h"
#include "platform/os_error.h"
#include "platform/posix/peer_credentials.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace socklens::broker {

HelperConnection::HelperConnection(platform::UniqueFd channel, OsPid pid, bool spawned,
                                   bool carriesDescriptors,
                                   std::chrono::milliseconds startupAllowance)
    : channel_(std::move(channel))
    , pid_(pid)
    , spawned_(spawned)
    , carriesDescriptors_(carriesDescriptors)
    , startupAllowance_(startupAllowance) {}

HelperConnection::~HelperConnection() {
    if (spawned_ && !reaped_)
        end(true, std::chrono::milliseconds(1000));
}

std::unique_ptr<HelperConnection> HelperConnection::spawn(const HelperLaunch& launch) {
    if (::access(launch.file.c_str(), launch.mustExecute ? X_OK : R_OK) != 0)
        throw BrokerError("cannot start " + launch.what + ": " + launch.file +
                          (launch.mustExecute ? " is not an executable (" : " cannot be read (") +
                          std::strerror(errno) + ")");
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
        throw BrokerError(std::string("cannot create the helper's control channel: ") +
                          std::strerror(errno));
    platform::UniqueFd ours(pair[0]);
    platform::UniqueFd theirs(pair[1]);
    ChildSpec child = launch.child;
    for (const int target : launch.channelFds)
        child.descriptors.emplace_back(theirs.get(), target);
    const OsPid pid = startChild(child);
    return std::unique_ptr<HelperConnection>(new HelperConnection(
        std::move(ours), pid, true, launch.carriesDescriptors, launch.startupAllowance));
}

std::unique_ptr<HelperConnection> HelperConnection::attach(const std::string& socketPath) {
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
    const platform::PeerCredentials peer = platform::peerCredentials(socket.get());
    if (peer.uid != ::geteuid())
        throw BrokerError("refusing to attach to " + socketPath +
                          ": the process behind it runs as uid " + std::to_string(peer.uid) +
                          ", not as you (uid " + std::to_string(::geteuid()) + ")");
    return std::unique_ptr<HelperConnection>(
        new HelperConnection(std::move(socket), OsPid(peer.pid), false, true, {}));
}

void HelperConnection::send(const protocol::Message& message, std::span<const int> fds,
                            std::chrono::milliseconds within) {
    if (!fds.empty() && !carriesDescriptors_)
        throw platform::OsError("sendmsg", EINVAL, "EINVAL",
                                "a Winsock helper cannot receive Linux descriptors (EINVAL)");
    channel_.send(message, fds, within);
}

void HelperConnection::kill() {
    if (!reaped_ && pid_.value() > 0) {
        ::kill(pid_t(pid_.value()), SIGKILL);
        killed_ = true;
    }
}

std::string HelperConnection::end(bool killSpawned, std::chrono::milliseconds bound) {
    if (reaped_)
        return "already gone";
    if (spawned_ && killSpawned)
        kill();
    reaped_ = true;
    if (spawned_)
        return reapChild(pid_, bound);
    if (!killed_)
        return "disconnected";
    awaitExit(pid_, bound); // not our child: no status to read
    return "killed by signal 9 (SIGKILL)";
}

} // namespace socklens::broker
