#include "round_trip_peer.h"

#include "../common/scm_rights.h"
#include "benchmark_samples.h"
#include "platform/posix/spinning_poll.h"

#include <cerrno>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>

namespace socklens::bench {
namespace {

using platform::UniqueFd;

/// The forked child: receive a descriptor, close it, answer one byte; until the parent hangs up.
[[noreturn]] void serveRoundTrips(int channel) {
    for (;;) {
        const int fd = testing::receiveFd(channel, MSG_CMSG_CLOEXEC);
        if (fd < 0)
            ::_exit(0);
        ::close(fd);
        const char byte = 0;
        if (::write(channel, &byte, 1) != 1)
            ::_exit(1);
    }
}

} // namespace

void check(bool ok, const char* call) {
    if (!ok)
        throw std::system_error(errno, std::generic_category(), call);
}

RoundTripPeer::RoundTripPeer() {
    int ends[2];
    check(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) == 0, "socketpair");
    channel_ = UniqueFd(ends[0]);
    UniqueFd theirs(ends[1]);
    child_ = ::fork();
    check(child_ >= 0, "fork");
    if (child_ == 0) {
        // The child keeps only its channel: copies of the broker's helper channels or
        // of a session socket would show up in the broker's /proc scans.
        ::dup2(theirs.get(), 3);
        ::close_range(4, ~0U, 0);
        serveRoundTrips(3);
    }
    for (int i = 0; i < 200; ++i)
        roundTrip(); // warm-up: page faults and the child's first scheduling stay out of it
}

RoundTripPeer::~RoundTripPeer() {
    channel_.reset(); // the child sees end of stream and exits
    ::waitpid(child_, nullptr, 0);
}

Clock::duration RoundTripPeer::roundTrip() {
    const Clock::time_point start = Clock::now();
    check(testing::sendFd(channel_.get(), passed_.get(), MSG_NOSIGNAL), "sendmsg");
    // Waiting for the answer as the broker waits for a helper's: the baseline gets the same
    // help against slow wake-ups that the duplicate does.
    pollfd answer{channel_.get(), POLLIN, 0};
    platform::pollSpinningFirst({&answer, 1}, -1, Clock::now() + platform::kAnswerSpin);
    char ack;
    check(::read(channel_.get(), &ack, 1) == 1, "read (the child's answer)");
    return Clock::now() - start;
}

void bareRoundTrip(benchmark::State& state) {
    RoundTripPeer peer;
    Samples samples(state, "bare");
    for (auto _ : state) {
        const Clock::duration elapsed = peer.roundTrip();
        samples.add(elapsed);
        setIterationTime(state, elapsed);
    }
    samples.publish(state);
}

} // namespace socklens::bench
