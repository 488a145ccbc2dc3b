// How the session names an underlying socket. Linux names it by the inode of socket:[N].
// Winsock names no socket object (Wine reports no object address), so the broker numbers each
// Winsock socket by its lineage, with the top bit set: the two never collide in a mixed session.
#pragma once

#include <cstdint>
#include <string>

namespace socklens {

inline constexpr std::uint64_t kLineageIdentityBit = 1ull << 63;

inline bool isLineageIdentity(std::uint64_t identity) {
    return (identity & kLineageIdentityBit) != 0;
}

/// "socket:[12345]" for a Linux socket, "Winsock socket #3" for one known by lineage.
inline std::string identityText(std::uint64_t identity) {
    if (isLineageIdentity(identity))
        return "Winsock socket #" + std::to_string(identity & ~kLineageIdentityBit);
    return "socket:[" + std::to_string(identity) + "]";
}

} // namespace socklens
