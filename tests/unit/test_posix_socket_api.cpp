// The Linux socket layer against the real kernel: creation, descriptions, options, owners.
#include "platform/os_error.h"
#include "platform/process_handles.h"
#include "platform/socket_api.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace socklens;
using namespace socklens::platform;

namespace {

/// Closes what a test created, whatever the test's outcome.
struct Created {
    std::vector<Handle> handles;
    explicit Created(SocketKind kind)
        : handles(createSockets(kind, 0)) {}
    ~Created() {
        for (const Handle handle : handles)
            ::close(int(handle.value()));
    }
    Handle operator[](std::size_t index) const { return handles.at(index); }
};

std::uint64_t inodeOf(Handle handle) {
    struct stat status {};
    EXPECT_EQ(::fstat(int(handle.value()), &status), 0);
    return status.st_ino;
}

bool isCloseOnExec(Handle handle) {
    return ::fcntl(int(handle.value()), F_GETFD) & FD_CLOEXEC;
}

} // namespace

TEST(PosixSocketApi, TcpListenerListensOnLoopback) {
    const Created sockets(SocketKind::TcpListener);
    ASSERT_EQ(sockets.handles.size(), 1u);
    const protocol::SocketDescription description = describeSocket(sockets[0]);
    EXPECT_EQ(description.kind, SocketKindSeen::TcpListener);
    EXPECT_EQ(description.tcpState, "LISTEN");
    EXPECT_EQ(description.family, AF_INET);
    EXPECT_EQ(description.type, SOCK_STREAM);
    EXPECT_EQ(description.protocol, IPPROTO_TCP);
    EXPECT_TRUE(description.local.starts_with("127.0.0.1:")) << description.local;
    EXPECT_NE(description.local, "127.0.0.1:0");
    EXPECT_EQ(description.peer, "");
    EXPECT_EQ(description.identity, inodeOf(sockets[0]));
    // Made as a program that did not ask for close-on-exec makes it: a child would get it.
    EXPECT_FALSE(isCloseOnExec(sockets[0]));
    EXPECT_EQ(inheritanceOf(sockets[0]), Inheritance::Inheritable);
    setInheritable(sockets[0], false);
    EXPECT_TRUE(isCloseOnExec(sockets[0]));
    EXPECT_EQ(inheritanceOf(sockets[0]), Inheritance::NotInheritable);
}

TEST(PosixSocketApi, TcpPairIsConnectedBothWays) {
    const Created sockets(SocketKind::TcpPair);
    ASSERT_EQ(sockets.handles.size(), 2u);
    const protocol::SocketDescription client = describeSocket(sockets[0]);
    const protocol::SocketDescription accepted = describeSocket(sockets[1]);
    EXPECT_EQ(client.kind, SocketKindSeen::TcpConnected);
    EXPECT_EQ(accepted.kind, SocketKindSeen::TcpConnected);
    EXPECT_EQ(client.tcpState, "ESTABLISHED");
    EXPECT_EQ(accepted.tcpState, "ESTABLISHED");
    EXPECT_EQ(client.peer, accepted.local);
    EXPECT_EQ(accepted.peer, client.local);
    EXPECT_NE(client.identity, accepted.identity);
    EXPECT_FALSE(isCloseOnExec(sockets[0]) || isCloseOnExec(sockets[1]));
}

TEST(PosixSocketApi, UdpIsBoundToLoopback) {
    const Created sockets(SocketKind::Udp);
    ASSERT_EQ(sockets.handles.size(), 1u);
    const protocol::SocketDescription description = describeSocket(sockets[0]);
    EXPECT_EQ(description.kind, SocketKindSeen::Udp);
    EXPECT_EQ(description.type, SOCK_DGRAM);
    EXPECT_TRUE(description.local.starts_with("127.0.0.1:")) << description.local;
    EXPECT_EQ(description.peer, "");
    EXPECT_EQ(description.tcpState, "");
}

TEST(PosixSocketApi, UnixPairIsUnnamed) {
    const Created sockets(SocketKind::UnixPair);
    ASSERT_EQ(sockets.handles.size(), 2u);
    const protocol::SocketDescription description = describeSocket(sockets[0]);
    EXPECT_EQ(description.kind, SocketKindSeen::UnixStream);
    EXPECT_EQ(description.family, AF_UNIX);
    EXPECT_EQ(description.local, "(unnamed)");
    EXPECT_EQ(description.peer, "(unnamed)");
    EXPECT_EQ(description.tcpState, "");
}

TEST(PosixSocketApi, TcpStateFollowsThePeerClosing) {
    Created sockets(SocketKind::TcpPair);
    closeHandle(sockets[1]);
    sockets.handles.pop_back();
    pollfd survivor{int(sockets[0].value()), POLLRDHUP, 0};
    ASSERT_EQ(::poll(&survivor, 1, 5000), 1) << "the FIN did not arrive";
    EXPECT_EQ(describeSocket(sockets[0]).tcpState, "CLOSE_WAIT");
}

TEST(PosixSocketApi, DuplicateNamesTheSameSocket) {
    Created sockets(SocketKind::Udp);
    const Handle copy = duplicateInProcess(sockets[0]);
    sockets.handles.push_back(copy);
    EXPECT_NE(copy, sockets[0]);
    EXPECT_EQ(describeSocket(copy).identity, describeSocket(sockets[0]).identity);
    EXPECT_FALSE(isCloseOnExec(copy)); // dup(), as a program would
}

TEST(PosixSocketApi, ReceiveBufferSetThroughOneDescriptorIsReadDoubledThroughAnother) {
    Created sockets(SocketKind::TcpPair);
    const Handle copy = duplicateInProcess(sockets[0]);
    sockets.handles.push_back(copy);
    setOption(sockets[0], SocketOption::RcvBuf, 12345);
    EXPECT_EQ(getOption(copy, SocketOption::RcvBuf), 24690); // requested 12345, effective 2x
}

struct OptionCase {
    SocketOption option;
    std::int64_t value;
};

class PosixOptionRoundTrip : public testing::TestWithParam<OptionCase> {};

TEST_P(PosixOptionRoundTrip, ReadsBackWhatWasSet) {
    const Created sockets(SocketKind::TcpPair);
    setOption(sockets[0], GetParam().option, GetParam().value);
    EXPECT_EQ(getOption(sockets[0], GetParam().option), GetParam().value);
}

INSTANTIATE_TEST_SUITE_P(
    EveryOption, PosixOptionRoundTrip,
    testing::Values(OptionCase{SocketOption::KeepAlive, 1}, OptionCase{SocketOption::KeepAlive, 0},
                    OptionCase{SocketOption::ReuseAddr, 1}, OptionCase{SocketOption::Linger, 5},
                    OptionCase{SocketOption::Linger, 0}, OptionCase{SocketOption::Linger, -1},
                    OptionCase{SocketOption::RcvLowat, 16}, OptionCase{SocketOption::TcpNoDelay, 1},
                    OptionCase{SocketOption::TcpNoDelay, 0}, OptionCase{SocketOption::IpTtl, 17}),
    [](const testing::TestParamInfo<OptionCase>& info) {
        std::string name(toString(info.param.option));
        name += info.param.value < 0 ? "_off" : "_" + std::to_string(info.param.value);
        std::erase(name, '_');
        return name;
    });

TEST(PosixSocketApi, SendBufferIsDoubledLikeTheReceiveBuffer) {
    const Created sockets(SocketKind::Udp);
    setOption(sockets[0], SocketOption::SndBuf, 65536);
    EXPECT_EQ(getOption(sockets[0], SocketOption::SndBuf), 2 * 65536);
}

TEST(PosixSocketApi, TcpNoDelayOnUdpIsACleanError) {
    const Created sockets(SocketKind::Udp);
    try {
        setOption(sockets[0], SocketOption::TcpNoDelay, 1);
        FAIL() << "TCP_NODELAY on UDP was accepted";
    } catch (const OsError& error) {
        EXPECT_EQ(error.call(), "setsockopt(TCP_NODELAY)");
        EXPECT_EQ(error.codeName(), "ENOPROTOOPT");
        EXPECT_NE(error.sentence().find("setsockopt(TCP_NODELAY) failed"), std::string::npos)
            << error.sentence();
    }
    EXPECT_THROW(getOption(sockets[0], SocketOption::TcpNoDelay), OsError);
}

TEST(PosixSocketApi, IpOptionsOnUnixSocketsAreCleanErrors) {
    const Created sockets(SocketKind::UnixPair);
    EXPECT_THROW(getOption(sockets[0], SocketOption::TcpNoDelay), OsError);
    EXPECT_THROW(getOption(sockets[0], SocketOption::IpTtl), OsError);
}

TEST(PosixSocketApi, OutOfRangeValuesAreRefusedBeforeTheKernel) {
    const Created sockets(SocketKind::TcpPair);
    try {
        setOption(sockets[0], SocketOption::RcvBuf, std::int64_t(1) << 40);
        FAIL() << "a value beyond int was accepted";
    } catch (const OsError& error) {
        EXPECT_EQ(error.call(), "setsockopt(SO_RCVBUF)");
        EXPECT_EQ(error.codeName(), "EINVAL");
    }
    EXPECT_THROW(setOption(sockets[0], SocketOption::Linger, -2), OsError);
}

TEST(PosixSocketApi, OwnerSetThroughOneDescriptorIsReadThroughAnother) {
    Created sockets(SocketKind::TcpPair);
    const Handle copy = duplicateInProcess(sockets[0]);
    sockets.handles.push_back(copy);
    EXPECT_EQ(registrationOwner(copy), 0);
    f_owner_ex owner{F_OWNER_PID, ::getpid()};
    ASSERT_EQ(::fcntl(int(sockets[0].value()), F_SETOWN_EX, &owner), 0);
    EXPECT_EQ(registrationOwner(copy), ::getpid());
}

TEST(PosixSocketApi, BytesTravelAndAnEmptyQueueIsEagain) {
    const Created sockets(SocketKind::UnixPair);
    const std::vector<std::uint8_t> bytes{1, 2, 3};
    EXPECT_EQ(sendBytes(sockets[0], bytes), 3u);
    EXPECT_EQ(receiveBytes(sockets[1], 16, std::chrono::milliseconds(0)), bytes);
    try {
        receiveBytes(sockets[1], 16, std::chrono::milliseconds(20));
        FAIL() << "an empty receive did not fail";
    } catch (const OsError& error) {
        EXPECT_EQ(error.call(), "recv");
        EXPECT_EQ(error.codeName(), "EAGAIN");
    }
}

TEST(PosixSocketApi, ReceiveWaitsForBytesThatArriveWhileItWaits) {
    const Created sockets(SocketKind::UnixPair);
    std::thread sender([&] {
        // The receiver is already waiting or about to; either way the bytes must be seen.
        sendBytes(sockets[0], std::vector<std::uint8_t>{7});
    });
    EXPECT_EQ(receiveBytes(sockets[1], 16, std::chrono::milliseconds(5000)),
              std::vector<std::uint8_t>{7});
    sender.join();
}

TEST(PosixSocketApi, ErrorsNameTheCallAndTheCode) {
    int pipeEnds[2];
    ASSERT_EQ(::pipe(pipeEnds), 0);
    try {
        describeSocket(Handle(pipeEnds[0]));
        FAIL() << "a pipe was described as a socket";
    } catch (const OsError& error) {
        EXPECT_EQ(error.codeName(), "ENOTSOCK");
    }
    try {
        getOption(Handle(pipeEnds[0]), SocketOption::RcvBuf);
        FAIL() << "getsockopt on a pipe succeeded";
    } catch (const OsError& error) {
        EXPECT_EQ(error.call(), "getsockopt(SO_RCVBUF)");
        EXPECT_EQ(error.code(), ENOTSOCK);
        EXPECT_EQ(error.sentence(),
                  "getsockopt(SO_RCVBUF) failed: Socket operation on non-socket (ENOTSOCK)");
        EXPECT_STREQ(error.what(), error.sentence().c_str());
    }
    ::close(pipeEnds[0]);
    ::close(pipeEnds[1]);
    try {
        closeHandle(Handle(pipeEnds[0]));
        FAIL() << "closing a closed descriptor succeeded";
    } catch (const OsError& error) {
        EXPECT_EQ(error.call(), "close");
        EXPECT_EQ(error.codeName(), "EBADF");
    }
    EXPECT_THROW(describeSocket(Handle(std::int64_t(1) << 40)), OsError);
}

TEST(PosixSocketApi, ProcessFacts) {
    EXPECT_EQ(currentPid(), ::getpid());
    EXPECT_EQ(currentPlatform(), Platform::Linux);
    EXPECT_TRUE(osVersion().starts_with("Linux ")) << osVersion();
}
