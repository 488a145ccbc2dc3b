// A framed control channel over an AF_UNIX stream socket that also carries descriptors
// (SCM_RIGHTS). Descriptors arrive no later than the bytes of the frame they belong to, so
// the channel queues them and hands each frame the number its header announces.
#pragma once

#include "platform/os_error.h"
#include "platform/posix/unique_fd.h"
#include "protocol/codec.h"

#include <chrono>
#include <deque>
#include <optional>
#include <span>
#include <vector>

namespace socklens::platform {

struct ReceivedFrame {
    protocol::Message message;
    std::vector<UniqueFd> fds;
};

class FdChannel {
public:
    explicit FdChannel(UniqueFd socket);

    int fd() const { return socket_.get(); }

    /// Sends one frame with `fds` attached (the caller keeps its own copies). With `within`,
    /// a peer that does not read for that long ends the send with OsError ETIMEDOUT; without,
    /// it waits as long as the peer takes. Throws OsError.
    void send(const protocol::Message& message, std::span<const int> fds = {},
              std::optional<std::chrono::milliseconds> within = std::nullopt);

    /// Reads what the socket has now (up to 1 MiB) without blocking. Returns false at end of
    /// stream. Throws OsError on a socket error; one that follows bytes read in the same call
    /// is thrown by the next call, so nextFrame() sees those bytes first.
    bool readAvailable();

    /// The next whole frame read so far. Throws protocol::ProtocolError on a bad frame, or
    /// when a frame announces more descriptors than arrived.
    std::optional<ReceivedFrame> nextFrame();

    /// How many descriptors arrived that no frame announced, since the last call. They are
    /// closed as soon as no frame read so far can claim them.
    std::size_t takeStrayDescriptors();

private:
    UniqueFd socket_;
    protocol::Decoder decoder_;
    std::deque<UniqueFd> pendingFds_;
    std::optional<OsError> deferredError_;
    std::size_t strays_ = 0;
};

} // namespace socklens::platform
