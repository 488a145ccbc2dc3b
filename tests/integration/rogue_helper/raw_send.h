// Bytes and descriptors in one sendmsg, whatever the frame in the bytes announces: how a fake
// helper in the tests puts descriptors where they do not belong (socklens-rogue-helper,
// fuzz_broker_replies).
#pragma once

#include <cstdint>
#include <cstring>
#include <sys/socket.h>
#include <vector>

namespace socklens::testing {

/// Returns whether sendmsg took them.
inline bool sendWithDescriptors(int channel, const std::vector<std::uint8_t>& bytes,
                                const std::vector<int>& fds) {
    iovec iov{const_cast<std::uint8_t*>(bytes.data()), bytes.size()};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    std::vector<char> control(CMSG_SPACE(sizeof(int) * fds.size()));
    if (!fds.empty()) {
        msg.msg_control = control.data();
        msg.msg_controllen = control.size();
        cmsghdr* header = CMSG_FIRSTHDR(&msg);
        header->cmsg_level = SOL_SOCKET;
        header->cmsg_type = SCM_RIGHTS;
        header->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
        std::memcpy(CMSG_DATA(header), fds.data(), sizeof(int) * fds.size());
    }
    return ::sendmsg(channel, &msg, MSG_NOSIGNAL) >= 0;
}

} // namespace socklens::testing
