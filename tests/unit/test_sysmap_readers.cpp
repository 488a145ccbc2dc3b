// The machine map's readers against this process's own sockets: sock_diag, fdinfo, /proc.
// Expected values come from what the test created and from getsockopt/fstat, not from socklens.
#include "sysmap/fd_info.h"
#include "sysmap/machine_map.h"
#include "sysmap/process_reading.h"
#include "sysmap/sock_diag.h"

#include <algorithm>
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using namespace socklens::sysmap;

namespace {

std::uint64_t inodeOf(int fd) {
    struct stat status {};
    ::fstat(fd, &status);
    return status.st_ino;
}

int intOption(int fd, int name) {
    int value = 0;
    socklen_t length = sizeof value;
    ::getsockopt(fd, SOL_SOCKET, name, &value, &length);
    return value;
}

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0)
            ::close(fd);
    }
};

/// A TCP listener on 127.0.0.1, an ephemeral port.
std::uint16_t listenOnLoopback(int fd) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(::listen(fd, 7), 0);
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    return ntohs(address.sin_port);
}

} // namespace

TEST(FdInfo, FlagsAreReadInOctalAndEpollLinesBecomeInterest) {
    const auto info = parseFdInfo("pos:\t0\nflags:\t02004002\nmnt_id:\t9\nino:\t61\n"
                                  "tfd:        5 events:       19 data: 5  pos:0 ino:61af sdev:8\n"
                                  "tfd:        7 events:        4 data: 7  pos:0 ino:10 sdev:8\n");
    ASSERT_TRUE(info);
    EXPECT_TRUE(info->flags.closeOnExec);
    EXPECT_TRUE(info->flags.nonBlocking);
    EXPECT_FALSE(info->flags.async);
    ASSERT_EQ(info->epoll.size(), 2u);
    EXPECT_EQ(info->epoll[0].targetFd, 5);
    EXPECT_EQ(info->epoll[0].inode, 0x61afu);
    EXPECT_TRUE(info->epoll[0].read()); // 0x19 = EPOLLIN | EPOLLERR | EPOLLHUP
    EXPECT_FALSE(info->epoll[0].write());
    EXPECT_TRUE(info->epoll[1].write());
    EXPECT_FALSE(info->epoll[1].read());
}

TEST(FdInfo, TextWithoutFlagsIsRefused) {
    EXPECT_FALSE(parseFdInfo("pos:\t0\n"));
    EXPECT_FALSE(parseFdInfo(""));
}

TEST(SockDiag, ListsASocketPairWithPeersQueuesAndBuffers) {
    int ends[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, ends), 0);
    Fd a{ends[0]}, b{ends[1]};
    ASSERT_EQ(::write(a.fd, "hello", 5), 5);
    const int rcvbuf = intOption(b.fd, SO_RCVBUF);
    const int sndbuf = intOption(a.fd, SO_SNDBUF);

    const KernelSockets sockets = readKernelSockets();
    EXPECT_TRUE(sockets.problems.empty()) << sockets.problems.front();
    const KernelSocket* first = sockets.find(inodeOf(a.fd));
    const KernelSocket* second = sockets.find(inodeOf(b.fd));
    ASSERT_TRUE(first && second);
    EXPECT_EQ(first->kind, "unix-stream");
    EXPECT_EQ(first->state, "ESTABLISHED");
    EXPECT_EQ(first->peerInode, inodeOf(b.fd));
    EXPECT_EQ(second->peerInode, inodeOf(a.fd));
    EXPECT_EQ(second->receiveQueue, 5u); // the bytes written through the other end
    ASSERT_TRUE(second->receiveBuffer && first->sendBuffer);
    EXPECT_EQ(*second->receiveBuffer, std::uint32_t(rcvbuf));
    EXPECT_EQ(*first->sendBuffer, std::uint32_t(sndbuf));
}

TEST(SockDiag, ListsATcpListenerWithItsPortStateAndBacklog) {
    Fd listener{::socket(AF_INET, SOCK_STREAM, 0)};
    const std::uint16_t port = listenOnLoopback(listener.fd);
    const KernelSocket* found = nullptr;
    const KernelSockets sockets = readKernelSockets();
    found = sockets.find(inodeOf(listener.fd));
    ASSERT_TRUE(found);
    EXPECT_EQ(found->kind, "tcp");
    EXPECT_EQ(found->state, "LISTEN");
    EXPECT_EQ(found->localPort, port);
    EXPECT_EQ(found->local, "127.0.0.1:" + std::to_string(port));
    EXPECT_EQ(found->peer, "");
    EXPECT_EQ(found->sendQueue, 7u); // a listener's send queue is its backlog
    EXPECT_EQ(found->uid, ::getuid());
    ASSERT_TRUE(found->receiveBuffer);
    EXPECT_EQ(*found->receiveBuffer, std::uint32_t(intOption(listener.fd, SO_RCVBUF)));
}

TEST(SockDiag, ListsTcpOfBothFamiliesEachByItsName) {
    Fd v4{::socket(AF_INET, SOCK_STREAM, 0)};
    Fd v6{::socket(AF_INET6, SOCK_STREAM, 0)};
    listenOnLoopback(v4.fd);
    sockaddr_in6 address{};
    address.sin6_family = AF_INET6;
    address.sin6_addr = in6addr_loopback;
    ASSERT_EQ(::bind(v6.fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    ASSERT_EQ(::listen(v6.fd, 3), 0);
    socklen_t length = sizeof address;
    ::getsockname(v6.fd, reinterpret_cast<sockaddr*>(&address), &length);

    for (const bool oneDump : {true, false}) {
        SCOPED_TRACE(oneDump ? "one dump for both families" : "a dump per family");
        const KernelSockets sockets = readKernelSockets({.tcpInOneDump = oneDump});
        EXPECT_TRUE(sockets.problems.empty()) << sockets.problems.front();
        const KernelSocket* first = sockets.find(inodeOf(v4.fd));
        const KernelSocket* second = sockets.find(inodeOf(v6.fd));
        ASSERT_TRUE(first && second);
        EXPECT_EQ(first->kind, "tcp");
        EXPECT_EQ(second->kind, "tcp6");
        EXPECT_EQ(second->local, "[::1]:" + std::to_string(ntohs(address.sin6_port)));
        EXPECT_EQ(second->sendQueue, 3u);
        ASSERT_TRUE(second->sendBuffer);
        EXPECT_EQ(*second->sendBuffer, std::uint32_t(intOption(v6.fd, SO_SNDBUF)));
    }
}

TEST(SockDiag, ASocketClosedIsNoLongerListed) {
    Fd udp{::socket(AF_INET6, SOCK_DGRAM, 0)};
    sockaddr_in6 address{}; // the kernel's UDP table holds bound sockets only
    address.sin6_family = AF_INET6;
    address.sin6_addr = in6addr_loopback;
    ASSERT_EQ(::bind(udp.fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    const std::uint64_t inode = inodeOf(udp.fd);
    const KernelSockets open = readKernelSockets();
    ASSERT_TRUE(open.lists(inode));
    EXPECT_EQ(open.find(inode)->kind, "udp6");
    ::close(std::exchange(udp.fd, -1));
    EXPECT_FALSE(readKernelSockets().lists(inode));
}

TEST(SockDiag, ListsEverySocketOnceInInodeOrderWithItsNewestReading) {
    KernelSockets sockets;
    for (const auto& [inode, state] : std::vector<std::pair<std::uint64_t, const char*>>{
             {30, "LISTEN"}, {10, "SYN_SENT"}, {20, "LISTEN"}, {10, "ESTABLISHED"}})
        sockets.sockets.push_back(KernelSocket{.inode = inode, .state = state});
    sockets.order();
    std::vector<std::uint64_t> inodes;
    for (const KernelSocket& socket : sockets.sockets)
        inodes.push_back(socket.inode);
    EXPECT_EQ(inodes, (std::vector<std::uint64_t>{10, 20, 30}));
    ASSERT_TRUE(sockets.find(10));
    EXPECT_EQ(sockets.find(10)->state, "ESTABLISHED"); // listed twice during a dump: the later
    EXPECT_EQ(sockets.find(30)->state, "LISTEN");
    EXPECT_FALSE(sockets.lists(25));
}

TEST(ProcessReading, ReadsFlagsAndEpollInterestOfThisProcess) {
    int ends[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends), 0);
    Fd a{ends[0]}, b{ends[1]};
    ASSERT_EQ(::fcntl(b.fd, F_SETFD, 0), 0);                    // b: inherited by exec
    ASSERT_EQ(::fcntl(b.fd, F_SETFL, O_NONBLOCK | O_ASYNC), 0); // and non-blocking, async
    Fd epoll{::epoll_create1(EPOLL_CLOEXEC)};
    epoll_event event{};
    event.events = EPOLLOUT;
    ASSERT_EQ(::epoll_ctl(epoll.fd, EPOLL_CTL_ADD, a.fd, &event), 0);

    const auto identity = readProcessIdentity(::getpid());
    ASSERT_TRUE(identity);
    EXPECT_EQ(identity->parentPid, ::getppid());
    const ProcessReadResult read = readProcess(*identity, FlagReading::Every);
    ASSERT_TRUE(read.reading);
    auto descriptor = [&](int fd) {
        const auto& sockets = read.reading->sockets;
        const auto found = std::find_if(sockets.begin(), sockets.end(),
                                        [&](const SocketDescriptor& s) { return s.fd == fd; });
        return found == sockets.end() ? std::optional<SocketDescriptor>() : *found;
    };
    ASSERT_TRUE(descriptor(a.fd) && descriptor(b.fd));
    EXPECT_EQ(descriptor(a.fd)->inode, inodeOf(a.fd));
    EXPECT_TRUE(descriptor(a.fd)->flags.closeOnExec);
    EXPECT_FALSE(descriptor(a.fd)->flags.nonBlocking);
    EXPECT_FALSE(descriptor(b.fd)->flags.closeOnExec);
    EXPECT_TRUE(descriptor(b.fd)->flags.nonBlocking);
    EXPECT_TRUE(descriptor(b.fd)->flags.async);

    const auto& registrations = read.reading->registrations;
    const auto found =
        std::find_if(registrations.begin(), registrations.end(),
                     [&](const EpollRegistration& r) { return r.epollFd == epoll.fd; });
    ASSERT_NE(found, registrations.end());
    EXPECT_EQ(found->interest.targetFd, a.fd);
    EXPECT_EQ(found->interest.inode, inodeOf(a.fd));
    EXPECT_TRUE(found->interest.write());
    EXPECT_FALSE(found->interest.read());
}

TEST(ProcessReading, WhereNearlyAllAreSocketsFdinfoAloneTellsInodesAndFlags) {
    if (!socketMountId())
        GTEST_SKIP() << "this kernel's fdinfo has no ino: line (Linux < 5.14): "
                        "FlagReading::WhereCheap reads links only there";
    // Many sockets after this process's other descriptors, then a pipe and an epoll instance
    // with a registration: the later ones are read by fdinfo alone.
    std::vector<Fd> sockets(64);
    for (std::size_t i = 0; i < sockets.size(); i += 2) {
        int ends[2];
        ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends), 0);
        sockets[i].fd = ends[0];
        sockets[i + 1].fd = ends[1];
        if (i % 4 == 0) {
            ASSERT_EQ(::fcntl(ends[1], F_SETFD, 0), 0);
            ASSERT_EQ(::fcntl(ends[1], F_SETFL, O_NONBLOCK), 0);
        }
    }
    int pipeEnds[2];
    ASSERT_EQ(::pipe2(pipeEnds, O_CLOEXEC), 0);
    Fd pipeRead{pipeEnds[0]}, pipeWrite{pipeEnds[1]};
    Fd epoll{::epoll_create1(EPOLL_CLOEXEC)};
    epoll_event event{};
    event.events = EPOLLIN;
    ASSERT_EQ(::epoll_ctl(epoll.fd, EPOLL_CTL_ADD, sockets.back().fd, &event), 0);

    const auto identity = readProcessIdentity(::getpid());
    ASSERT_TRUE(identity);
    const ProcessReadResult read = readProcess(*identity, FlagReading::WhereCheap);
    ASSERT_TRUE(read.reading);
    const std::vector<SocketDescriptor>& found = read.reading->sockets;
    std::size_t byFdinfo = 0;
    for (const Fd& socket : sockets) {
        const auto it = std::find_if(found.begin(), found.end(),
                                     [&](const SocketDescriptor& s) { return s.fd == socket.fd; });
        ASSERT_NE(it, found.end()) << "fd " << socket.fd;
        EXPECT_EQ(it->inode, inodeOf(socket.fd));
        if (!it->flagsRead)
            continue;
        ++byFdinfo;
        EXPECT_EQ(it->flags.closeOnExec, (::fcntl(socket.fd, F_GETFD) & FD_CLOEXEC) != 0);
        EXPECT_EQ(it->flags.nonBlocking, (::fcntl(socket.fd, F_GETFL) & O_NONBLOCK) != 0);
    }
    EXPECT_GT(byFdinfo, 0u);
    for (const int other : {pipeRead.fd, pipeWrite.fd, epoll.fd})
        EXPECT_TRUE(std::none_of(found.begin(), found.end(),
                                 [&](const SocketDescriptor& s) { return s.fd == other; }));
    const auto& registrations = read.reading->registrations;
    const auto registration =
        std::find_if(registrations.begin(), registrations.end(),
                     [&](const EpollRegistration& r) { return r.epollFd == epoll.fd; });
    ASSERT_NE(registration, registrations.end());
    EXPECT_EQ(registration->interest.inode, inodeOf(sockets.back().fd));
}

TEST(MachineMap, JoinsHoldersFiltersByInodeAndShared) {
    int ends[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_DGRAM, 0, ends), 0);
    Fd a{ends[0]}, b{ends[1]};
    Fd copy{::dup(a.fd)};
    MapFilter filter;
    filter.inode = inodeOf(a.fd);
    const MachineMap map = readMachineMap(filter);
    ASSERT_EQ(map.sockets.size(), 1u);
    const MapSocket& socket = map.sockets.front();
    EXPECT_EQ(socket.kernel.kind, "unix-dgram");
    ASSERT_EQ(socket.holders.size(), 2u); // a and its dup, both in this process
    EXPECT_EQ(socket.holders[0].pid, ::getpid());
    EXPECT_EQ(socket.processCount(), 1u);

    filter.shared = true; // two descriptors, one process: not shared
    EXPECT_TRUE(readMachineMap(filter).sockets.empty());
}
