#include "platform/posix/peer_credentials.h"

#include "platform/os_error.h"

#include <sys/socket.h>
#include <unistd.h>

namespace socklens::platform {

PeerCredentials peerCredentials(int fd) {
    ucred credentials{};
    socklen_t length = sizeof credentials;
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0)
        throw OsError::fromLastError("getsockopt(SO_PEERCRED)");
    return PeerCredentials{credentials.uid, credentials.pid};
}

uid_t peerUid(int fd) {
    return peerCredentials(fd).uid;
}

bool peerHasSameUid(int fd) {
    return peerUid(fd) == ::geteuid();
}

} // namespace socklens::platform
