// The engine benchmark's baseline: a bare SCM_RIGHTS round trip to a forked child, the least a
// broker-mediated duplicate could cost on this machine.
#pragma once

#include "platform/posix/unique_fd.h"
#include "sample_statistics.h"

#include <benchmark/benchmark.h>
#include <sys/socket.h>
#include <sys/types.h>

namespace socklens::bench {

/// Throws the errno of `call` when it did not succeed.
void check(bool ok, const char* call);

/// A forked child at the other end of an AF_UNIX socketpair; one roundTrip() passes it a
/// descriptor with SCM_RIGHTS and waits for its one-byte answer, the way the broker waits for
/// a helper (platform::pollSpinningFirst).
class RoundTripPeer {
public:
    RoundTripPeer();
    ~RoundTripPeer();

    RoundTripPeer(const RoundTripPeer&) = delete;
    RoundTripPeer& operator=(const RoundTripPeer&) = delete;

    Clock::duration roundTrip();

private:
    platform::UniqueFd channel_;
    // A TCP socket travels, as in the broker benchmark: an AF_UNIX socket in flight would take
    // the kernel's unix-GC accounting path and make the baseline slower than it should be.
    platform::UniqueFd passed_{::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
    pid_t child_ = -1;
};

/// The bare round trip on its own, as a benchmark ("bare").
void bareRoundTrip(benchmark::State& state);

} // namespace socklens::bench
