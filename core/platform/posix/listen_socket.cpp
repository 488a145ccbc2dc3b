#include "platform/posix/listen_socket.h"

#include "platform/os_error.h"
#include "platform/posix/peer_credentials.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ostream>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace socklens::platform {

namespace {

sockaddr_un unixAddress(const std::string& path) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof address.sun_path)
        throw OsError("bind(" + path + ")", ENAMETOOLONG, "ENAMETOOLONG",
                      "bind(" + path + ") failed: a socket path must have 1 to " +
                          std::to_string(sizeof address.sun_path - 1) +
                          " characters (ENAMETOOLONG)");
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    return address;
}

// Written before the handlers are installed and only read by them: a plain buffer, because a
// signal handler may not touch std::string.
char gPathToRemove[sizeof(sockaddr_un::sun_path)];

extern "C" void removePathAndDie(int signal) {
    ::unlink(gPathToRemove);
    ::signal(signal, SIG_DFL);
    ::raise(signal); // delivered when the handler returns, with the default action
}

} // namespace

UnixListener::UnixListener(std::string path)
    : path_(std::move(path))
    , socket_(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    if (!socket_.valid())
        throw OsError::fromLastError("socket(AF_UNIX)");
    const sockaddr_un address = unixAddress(path_);
    if (::bind(socket_.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
        throw OsError::fromLastError("bind(" + path_ + ")");
    if (::listen(socket_.get(), 4) != 0) {
        const OsError error = OsError::fromLastError("listen(" + path_ + ")");
        ::unlink(path_.c_str());
        throw error;
    }
}

UnixListener::~UnixListener() {
    ::unlink(path_.c_str());
}

UniqueFd UnixListener::acceptSameUser(std::ostream& rejections) {
    for (;;) {
        UniqueFd peer(::accept4(socket_.get(), nullptr, nullptr, SOCK_CLOEXEC));
        if (!peer.valid()) {
            // A peer that gave up before we accepted it is not our failure.
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            throw OsError::fromLastError("accept4(" + path_ + ")");
        }
        const uid_t uid = peerUid(peer.get());
        if (uid == ::geteuid())
            return peer;
        rejections << "socklens-helper: refused a connection from uid " << uid << ": only uid "
                   << ::geteuid() << " may attach" << std::endl;
    }
}

void removeOnTerminationSignal(const std::string& path) {
    const std::size_t length = std::min(path.size(), sizeof gPathToRemove - 1);
    std::memcpy(gPathToRemove, path.c_str(), length);
    gPathToRemove[length] = '\0';
    struct sigaction action {};
    action.sa_handler = removePathAndDie;
    ::sigemptyset(&action.sa_mask);
    for (const int signal : {SIGINT, SIGTERM, SIGHUP})
        ::sigaction(signal, &action, nullptr);
}

} // namespace socklens::platform
