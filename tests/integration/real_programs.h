// Real programs the machine-map, attach and GUI tests start (forked from the test): a
// preforking TCP server whose workers inherit its listener; passing a descriptor over a Unix
// socket (tests/common/scm_rights.h). Header-only, so the GUI tests use it too.
#pragma once

#include "../common/scm_rights.h"
#include "forked_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

namespace socklens::testing {

/// A TCP listener on 127.0.0.1 and an ephemeral port; returns the port.
inline int listenOnLoopback(int fd) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(fd, 16) != 0)
        return -1;
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    return ntohs(address.sin_port);
}

/// The inode of the socket `fd` names (the identity socklens shows).
inline long long socketInode(int fd) {
    struct stat status {};
    ::fstat(fd, &status);
    return static_cast<long long>(status.st_ino);
}

[[noreturn]] inline void parkForever() {
    for (;;)
        ::pause();
}

constexpr int kWorkers = 3;

/// A server that listens, then forks `kWorkers` workers that inherit the listener (like a
/// preforking web server), reporting "port", "fd", "inode" and one "worker" per worker. At
/// each go() it forks one more worker and reports it (a few times at most).
inline ForkedProcess forkingServer() {
    return ForkedProcess("sl-server", [](const ChildChannel& channel) {
        const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
        channel.report("port", listenOnLoopback(listener));
        channel.report("fd", listener);
        channel.report("inode", socketInode(listener));
        auto forkWorker = [&] {
            const pid_t worker = ::fork();
            if (worker == 0) {
                ::prctl(PR_SET_NAME, "sl-worker");
                parkForever();
            }
            channel.report("worker", worker);
        };
        for (int i = 0; i < kWorkers; ++i)
            forkWorker();
        for (int more = 0; more < 8; ++more) { // bounded: a closed pipe reads as a go too
            channel.waitForGo();
            forkWorker();
        }
    });
}

} // namespace socklens::testing
