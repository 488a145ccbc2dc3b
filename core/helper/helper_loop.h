// The helper's main loop: serves one broker over one control channel. One implementation per
// OS: helper_loop_posix.cpp (a socketpair that carries descriptors), helper_loop_win32.cpp
// (stdin/stdout under Wine).
#pragma once

#include <cstdint>

namespace socklens::helper {

/// Answers the broker's requests and forwards the OS's notifications until the broker hangs
/// up (returns 0) or breaks the protocol or the channel fails (prints one line to stderr,
/// returns 1). POSIX: `channel` is a connected AF_UNIX stream socket fd, owned from then on.
int serveBroker(std::intptr_t channel);

/// Windows: the same over stdin/stdout, which the broker connected to pipes when it started
/// `wine socklens-helper.exe`. Returns like serveBroker.
int serveBrokerOverStdio();

} // namespace socklens::helper
