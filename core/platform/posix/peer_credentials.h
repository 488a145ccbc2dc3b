// Who is at the other end of a connected AF_UNIX socket (SO_PEERCRED). A helper started by hand
// and the broker attaching to it each accept only a peer of their own user.
#pragma once

#include <sys/types.h>

namespace socklens::platform {

/// The peer's user id as the kernel recorded it at connect time. Throws OsError.
uid_t peerUid(int fd);

/// True when the peer runs as our effective user. Throws OsError.
bool peerHasSameUid(int fd);

} // namespace socklens::platform
