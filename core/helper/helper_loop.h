// The helper's main loop: serves one broker over one control channel.
#pragma once

#include <cstdint>

namespace socklens::helper {

/// Answers the broker's requests and forwards the OS's notifications until the broker hangs
/// up (returns 0) or breaks the protocol or the channel fails (prints one line to stderr,
/// returns 1). POSIX: `channel` is a connected AF_UNIX stream socket fd, owned from then on.
int serveBroker(std::intptr_t channel);

} // namespace socklens::helper
