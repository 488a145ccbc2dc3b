// Who is at the other end of a connected AF_UNIX socket (SO_PEERCRED). A helper started by hand
// and the broker attaching to it each accept only a peer of their own user.
#pragma once

#include <sys/types.h>

namespace socklens::platform {

/// Who the kernel says the peer is: its user, and the process that connected (or listened).
struct PeerCredentials {
    uid_t uid = 0;
    pid_t pid = 0;
};

/// Read once at connect time by the kernel; a peer cannot claim another. Throws OsError.
PeerCredentials peerCredentials(int fd);

/// The peer's user id as the kernel recorded it at connect time. Throws OsError.
uid_t peerUid(int fd);

/// True when the peer runs as our effective user. Throws OsError.
bool peerHasSameUid(int fd);

} // namespace socklens::platform
