// Passing one descriptor over a Unix socket with SCM_RIGHTS, as bare as the kernel allows: the
// integration tests' real programs use it, and the engine benchmark's baseline round trip.
// Header-only, so neither pulls in the other's code.
#pragma once

#include <cstring>
#include <sys/socket.h>

namespace socklens::testing {

/// One byte of data with room for one descriptor: what both directions send and receive.
struct OneDescriptorMessage {
    char byte = 'x';
    iovec data{&byte, 1};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msghdr message{};

    OneDescriptorMessage() {
        message.msg_iov = &data;
        message.msg_iovlen = 1;
        message.msg_control = control;
        message.msg_controllen = sizeof control;
    }
    // It points into itself.
    OneDescriptorMessage(const OneDescriptorMessage&) = delete;
    OneDescriptorMessage& operator=(const OneDescriptorMessage&) = delete;
};

/// Passes `fd` over the Unix socket `channel` (SCM_RIGHTS), with one byte of data; true when
/// sendmsg() sent it. `flags` go to sendmsg() (e.g. MSG_NOSIGNAL).
inline bool sendFd(int channel, int fd, int flags = 0) {
    OneDescriptorMessage sent;
    cmsghdr* header = CMSG_FIRSTHDR(&sent.message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(header), &fd, sizeof fd);
    return ::sendmsg(channel, &sent.message, flags) == 1;
}

/// The descriptor the next message on `channel` carries; -1 if none (or end of stream).
/// `flags` go to recvmsg() (e.g. MSG_CMSG_CLOEXEC).
inline int receiveFd(int channel, int flags = 0) {
    OneDescriptorMessage received;
    if (::recvmsg(channel, &received.message, flags) <= 0)
        return -1;
    const cmsghdr* header = CMSG_FIRSTHDR(&received.message);
    int fd = -1;
    if (header && header->cmsg_type == SCM_RIGHTS)
        std::memcpy(&fd, CMSG_DATA(header), sizeof fd);
    return fd;
}

} // namespace socklens::testing
