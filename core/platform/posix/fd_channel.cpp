#include "platform/posix/fd_channel.h"

#include "platform/os_error.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <utility>

namespace socklens::platform {

namespace {
constexpr std::size_t kMaxFdsPerMessage = 16;
}

FdChannel::FdChannel(UniqueFd socket)
    : socket_(std::move(socket)) {}

void FdChannel::send(const protocol::Message& message, std::span<const int> fds,
                     std::optional<std::chrono::milliseconds> within) {
    using Clock = std::chrono::steady_clock;
    const std::optional<Clock::time_point> deadline =
        within ? std::optional(Clock::now() + *within) : std::nullopt;
    if (fds.size() > kMaxFdsPerMessage)
        throw OsError("sendmsg", EINVAL, "EINVAL", "too many descriptors for one frame");
    const std::vector<std::uint8_t> frame =
        protocol::encodeFrame(message, std::uint8_t(fds.size()));

    std::size_t offset = 0;
    bool fdsSent = fds.empty();
    while (offset < frame.size()) {
        iovec iov{const_cast<std::uint8_t*>(frame.data()) + offset, frame.size() - offset};
        msghdr msg{};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(int) * kMaxFdsPerMessage)> control{};
        if (!fdsSent) {
            msg.msg_control = control.data();
            msg.msg_controllen = CMSG_SPACE(sizeof(int) * fds.size());
            cmsghdr* header = CMSG_FIRSTHDR(&msg);
            header->cmsg_level = SOL_SOCKET;
            header->cmsg_type = SCM_RIGHTS;
            header->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
            std::memcpy(CMSG_DATA(header), fds.data(), sizeof(int) * fds.size());
        }
        const ssize_t sent = ::sendmsg(socket_.get(), &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                // The peer is slow; wait for room, but only until the deadline: a peer that
                // stopped reading must not keep us here.
                int wait = 1000;
                if (deadline) {
                    const auto left =
                        std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now());
                    if (left.count() <= 0)
                        throw OsError("sendmsg", ETIMEDOUT, "ETIMEDOUT",
                                      "the peer did not take the frame within " +
                                          std::to_string(within->count()) + " ms (" +
                                          std::to_string(offset) + " of its " +
                                          std::to_string(frame.size()) + " bytes sent)");
                    wait = int(std::min<std::int64_t>(left.count(), 1000));
                }
                pollfd waiter{socket_.get(), POLLOUT, 0};
                ::poll(&waiter, 1, wait);
                continue;
            }
            throw OsError::fromLastError("sendmsg");
        }
        fdsSent = true;
        offset += std::size_t(sent);
    }
}

bool FdChannel::readAvailable() {
    // Bounded, so a peer that never stops writing cannot keep us here or grow the buffer
    // without its frames being taken out in between.
    constexpr int kMaxReadsPerCall = 16;
    if (deferredError_) {
        const OsError error = *deferredError_;
        deferredError_.reset();
        throw error;
    }
    bool fed = false;
    for (int reads = 0; reads < kMaxReadsPerCall; ++reads) {
        std::array<std::uint8_t, 64 * 1024> buffer;
        iovec iov{buffer.data(), buffer.size()};
        alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(int) * kMaxFdsPerMessage)> control{};
        msghdr msg{};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control.data();
        msg.msg_controllen = control.size();
        const ssize_t received = ::recvmsg(socket_.get(), &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
        if (received < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return true;
            if (!fed)
                throw OsError::fromLastError("recvmsg");
            // The bytes read before the error are decoded first (they may say what went
            // wrong, e.g. a bad frame); the error comes with the next read.
            deferredError_ = OsError::fromLastError("recvmsg");
            return true;
        }
        for (cmsghdr* header = CMSG_FIRSTHDR(&msg); header; header = CMSG_NXTHDR(&msg, header)) {
            if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS)
                continue;
            const std::size_t count = (header->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            for (std::size_t i = 0; i < count; ++i) {
                int fd;
                std::memcpy(&fd, CMSG_DATA(header) + i * sizeof(int), sizeof(int));
                pendingFds_.emplace_back(fd);
            }
        }
        if (msg.msg_flags & MSG_CTRUNC)
            throw OsError("recvmsg", EMSGSIZE, "EMSGSIZE",
                          "the peer sent more descriptors than one frame may carry");
        if (received == 0)
            return false;
        decoder_.feed(std::span(buffer.data(), std::size_t(received)));
        fed = true;
    }
    return true;
}

std::optional<ReceivedFrame> FdChannel::nextFrame() {
    std::optional<protocol::DecodedFrame> decoded = decoder_.next();
    if (!decoded) {
        // Descriptors travel with the first bytes of their frame: with no bytes left over,
        // no frame can claim the ones still queued.
        if (decoder_.bufferedBytes() == 0 && !pendingFds_.empty()) {
            strays_ += pendingFds_.size();
            pendingFds_.clear();
        }
        return std::nullopt;
    }
    if (decoded->fdCount > pendingFds_.size())
        throw protocol::ProtocolError(
            "a " + std::string(protocol::toString(protocol::typeOf(decoded->message))) +
            " frame announced " + std::to_string(decoded->fdCount) +
            " descriptor(s) but fewer arrived");
    ReceivedFrame frame{std::move(decoded->message), {}};
    for (std::uint8_t i = 0; i < decoded->fdCount; ++i) {
        frame.fds.push_back(std::move(pendingFds_.front()));
        pendingFds_.pop_front();
    }
    return frame;
}

std::size_t FdChannel::takeStrayDescriptors() {
    return std::exchange(strays_, 0);
}

} // namespace socklens::platform
