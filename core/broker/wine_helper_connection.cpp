#include "broker/wine_helper_connection.h"

#include "broker/broker_error.h"
#include "broker/child_process.h"
#include "platform/os_error.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <sys/socket.h>
#include <unistd.h>

namespace socklens::broker {

WineHelperConnection::WineHelperConnection(platform::UniqueFd channel, OsPid pid)
    : HelperConnection(pid)
    , channel_(std::move(channel)) {}

WineHelperConnection::~WineHelperConnection() {
    if (!reaped_)
        end(true, std::chrono::milliseconds(1000));
}

std::unique_ptr<HelperConnection> WineHelperConnection::spawn(const WineEnvironment& wine,
                                                              const std::string& helperExe) {
    if (::access(helperExe.c_str(), R_OK) != 0)
        throw BrokerError("cannot start the Winsock helper: " + helperExe + " cannot be read (" +
                          std::strerror(errno) + ")");
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
        throw BrokerError(std::string("cannot create the helper's control channel: ") +
                          std::strerror(errno));
    platform::UniqueFd ours(pair[0]);
    platform::UniqueFd theirs(pair[1]);
    const OsPid child = startChild({wine.wine,
                                    {wine.wine, helperExe},
                                    {{theirs.get(), 0}, {theirs.get(), 1}},
                                    wine.variables()});
    return std::unique_ptr<HelperConnection>(new WineHelperConnection(std::move(ours), child));
}

void WineHelperConnection::send(const protocol::Message& message, std::span<const int> fds) {
    if (!fds.empty())
        throw platform::OsError("sendmsg", EINVAL, "EINVAL",
                                "a Winsock helper cannot receive Linux descriptors (EINVAL)");
    channel_.send(message);
}

void WineHelperConnection::kill() {
    if (!reaped_)
        ::kill(pid_t(pid().value()), SIGKILL);
}

std::string WineHelperConnection::end(bool killSpawned, std::chrono::milliseconds bound) {
    if (reaped_)
        return "already gone";
    if (killSpawned)
        kill();
    reaped_ = true;
    return reapChild(pid(), bound);
}

} // namespace socklens::broker
