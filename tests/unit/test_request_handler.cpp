// The helper's request handler, driven directly with messages: no process, no channel.
#include "helper/request_handler.h"
#include "platform/socket_api.h"
#include "version.h"

#include <algorithm>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace socklens;
using namespace socklens::protocol;
using helper::RequestHandler;

namespace {

class RequestHandlerTest : public testing::Test {
protected:
    template <class ReplyType>
    ReplyType ask(const Message& request, std::vector<Handle> handles = {}) {
        last_ = handler_.handle(request, std::move(handles));
        if (const auto* failure = std::get_if<Failure>(&last_.message))
            ADD_FAILURE() << "unexpected Failure: " << failure->sentence;
        else if (!std::holds_alternative<ReplyType>(last_.message))
            ADD_FAILURE() << "unexpected reply " << toString(typeOf(last_.message));
        return std::holds_alternative<ReplyType>(last_.message) ? std::get<ReplyType>(last_.message)
                                                                : ReplyType{};
    }

    Failure askForFailure(const Message& request, std::vector<Handle> handles = {}) {
        last_ = handler_.handle(request, std::move(handles));
        EXPECT_TRUE(std::holds_alternative<Failure>(last_.message))
            << "expected a Failure, got " << toString(typeOf(last_.message));
        return std::holds_alternative<Failure>(last_.message) ? std::get<Failure>(last_.message)
                                                              : Failure{};
    }

    std::vector<DescriptorDescription> create(SocketKind kind) {
        std::vector<DescriptorDescription> described;
        for (const DescriptorObservation& read :
             ask<DescriptorsReply>(CreateSocket{1, kind, 0}).descriptors)
            described.push_back(read.descriptor);
        return described;
    }

    static bool isOpen(std::int64_t fd) { return ::fcntl(int(fd), F_GETFD) >= 0; }

    platform::EventNotifications notifications_;
    RequestHandler handler_{notifications_};
    RequestHandler::Reply last_;
};

} // namespace

TEST_F(RequestHandlerTest, HelloTellsWhoAndWhat) {
    const HelloReply reply = ask<HelloReply>(Hello{7});
    EXPECT_EQ(reply.requestId, 7u);
    EXPECT_EQ(reply.pid, ::getpid());
    EXPECT_EQ(reply.platform, Platform::Linux);
    EXPECT_EQ(reply.helperVersion, kVersion);
    EXPECT_TRUE(reply.osVersion.starts_with("Linux ")) << reply.osVersion;
}

TEST_F(RequestHandlerTest, CreatedSocketsAreDescribedAndHeld) {
    const auto descriptors = create(SocketKind::TcpPair);
    ASSERT_EQ(descriptors.size(), 2u);
    EXPECT_EQ(descriptors[0].socket.kind, SocketKindSeen::TcpConnected);
    EXPECT_EQ(descriptors[1].socket.tcpState, "ESTABLISHED");
    EXPECT_EQ(handler_.held(),
              (std::set{Handle(descriptors[0].handle), Handle(descriptors[1].handle)}));
    EXPECT_EQ(std::get<DescriptorsReply>(last_.message).requestId, 1u);
}

TEST_F(RequestHandlerTest, ExportAttachesTheDescriptorAndKeepsIt) {
    const auto created = create(SocketKind::Udp);
    const auto exported = ask<DescriptorsReply>(ExportDescriptor{2, created[0].handle});
    ASSERT_EQ(exported.descriptors.size(), 1u);
    EXPECT_EQ(exported.descriptors[0].descriptor.socket.identity, created[0].socket.identity);
    EXPECT_EQ(last_.attached, std::vector{Handle(created[0].handle)});
    EXPECT_TRUE(handler_.held().contains(Handle(created[0].handle)));
}

TEST_F(RequestHandlerTest, ImportTakesOneArrivedSocket) {
    int ends[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends), 0);
    ::close(ends[1]);
    const auto imported = ask<DescriptorsReply>(ImportDescriptor{3}, {Handle(ends[0])});
    ASSERT_EQ(imported.descriptors.size(), 1u);
    EXPECT_EQ(imported.descriptors[0].descriptor.handle, ends[0]);
    EXPECT_EQ(imported.descriptors[0].descriptor.socket.kind, SocketKindSeen::UnixStream);
    EXPECT_TRUE(handler_.held().contains(Handle(ends[0])));
}

// A reply that names a descriptor carries it as read through itself, so the broker's
// observation of the command need not ask again: the values are the OS's.
TEST_F(RequestHandlerTest, RepliesNamingADescriptorCarryItsReading) {
    const auto created = create(SocketKind::TcpPair);
    const int fd = int(created[0].handle);
    const int asked = 23456;
    ASSERT_EQ(::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &asked, sizeof asked), 0);
    int rcvbuf = 0;
    socklen_t length = sizeof rcvbuf;
    ASSERT_EQ(::getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &length), 0);
    ASSERT_EQ(::fcntl(fd, F_SETOWN, ::getpid()), 0);

    const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0); // as the channel hands it over
    ASSERT_GE(copy, 0);
    const std::vector<DescriptorObservation> replies = {
        ask<DescriptorsReply>(ExportDescriptor{2, created[0].handle}).descriptors.at(0),
        ask<DescriptorsReply>(DupDescriptor{3, created[0].handle}).descriptors.at(0),
        ask<DescriptorsReply>(ImportDescriptor{4}, {Handle(copy)}).descriptors.at(0)};
    for (const DescriptorObservation& read : replies) {
        SCOPED_TRACE("descriptor " + std::to_string(read.descriptor.handle));
        EXPECT_EQ(read.descriptor.socket.identity, created[0].socket.identity);
        EXPECT_EQ(read.ownerPid, ::getpid());
        // Every socket the session gives a helper is left without close-on-exec.
        EXPECT_EQ(read.inheritance, Inheritance::Inheritable);
        EXPECT_EQ(::fcntl(int(read.descriptor.handle), F_GETFD) & FD_CLOEXEC, 0);
        ASSERT_EQ(read.options.size(), allSocketOptions().size());
        const auto found =
            std::find_if(read.options.begin(), read.options.end(),
                         [](const OptionReading& r) { return r.option == SocketOption::RcvBuf; });
        ASSERT_NE(found, read.options.end());
        EXPECT_EQ(found->value, rcvbuf);
    }
}

TEST_F(RequestHandlerTest, SetInheritableRepliesWithTheFlagAsReadAfterwards) {
    const auto created = create(SocketKind::Udp);
    const auto cleared =
        ask<DescriptorsReply>(SetInheritable{5, created[0].handle, 0}).descriptors.at(0);
    EXPECT_EQ(cleared.descriptor.handle, created[0].handle);
    EXPECT_EQ(cleared.inheritance, Inheritance::NotInheritable);
    EXPECT_NE(::fcntl(int(created[0].handle), F_GETFD) & FD_CLOEXEC, 0);
    const auto set =
        ask<DescriptorsReply>(SetInheritable{6, created[0].handle, 1}).descriptors.at(0);
    EXPECT_EQ(set.inheritance, Inheritance::Inheritable);
    EXPECT_EQ(::fcntl(int(created[0].handle), F_GETFD) & FD_CLOEXEC, 0);
}

TEST_F(RequestHandlerTest, ImportWithoutADescriptorFails) {
    const Failure failure = askForFailure(ImportDescriptor{4});
    EXPECT_EQ(failure.requestId, 4u);
    EXPECT_EQ(failure.codeName, "EINVAL");
    EXPECT_TRUE(handler_.held().empty());
}

TEST_F(RequestHandlerTest, ImportWithTwoDescriptorsFailsAndClosesBoth) {
    int ends[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends), 0);
    const Failure failure = askForFailure(ImportDescriptor{5}, {Handle(ends[0]), Handle(ends[1])});
    EXPECT_EQ(failure.codeName, "EINVAL");
    EXPECT_FALSE(isOpen(ends[0]));
    EXPECT_FALSE(isOpen(ends[1]));
}

TEST_F(RequestHandlerTest, ImportOfANonSocketFailsAndClosesIt) {
    int pipeEnds[2];
    ASSERT_EQ(::pipe2(pipeEnds, O_CLOEXEC), 0);
    ::close(pipeEnds[1]);
    const Failure failure = askForFailure(ImportDescriptor{6}, {Handle(pipeEnds[0])});
    EXPECT_EQ(failure.codeName, "ENOTSOCK");
    EXPECT_FALSE(isOpen(pipeEnds[0]));
    EXPECT_TRUE(handler_.held().empty());
}

TEST_F(RequestHandlerTest, DescriptorsSentWithOtherRequestsAreClosed) {
    int ends[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends), 0);
    ::close(ends[1]);
    ask<HelloReply>(Hello{8}, {Handle(ends[0])});
    EXPECT_FALSE(isOpen(ends[0]));
}

TEST_F(RequestHandlerTest, DupNamesTheSameSocket) {
    const auto created = create(SocketKind::TcpListener);
    const auto duplicate = ask<DescriptorsReply>(DupDescriptor{9, created[0].handle});
    ASSERT_EQ(duplicate.descriptors.size(), 1u);
    EXPECT_NE(duplicate.descriptors[0].descriptor.handle, created[0].handle);
    EXPECT_EQ(duplicate.descriptors[0].descriptor.socket.identity, created[0].socket.identity);
    EXPECT_EQ(handler_.held().size(), 2u);
}

TEST_F(RequestHandlerTest, SetRepliesTheEffectiveValueAndGetReadsItThroughADuplicate) {
    const auto created = create(SocketKind::TcpPair);
    const auto duplicate = ask<DescriptorsReply>(DupDescriptor{10, created[0].handle});
    const auto set =
        ask<OptionReply>(SetOption{11, created[0].handle, SocketOption::RcvBuf, 12345});
    EXPECT_EQ(set.reading.value, 24690);
    EXPECT_EQ(set.reading.errorCode, 0);
    const auto got = ask<OptionReply>(
        GetOption{12, duplicate.descriptors[0].descriptor.handle, SocketOption::RcvBuf});
    EXPECT_EQ(got.requestId, 12u);
    EXPECT_EQ(got.reading.option, SocketOption::RcvBuf);
    EXPECT_EQ(got.reading.value, 24690);
}

TEST_F(RequestHandlerTest, AnOptionTheSocketLacksIsAFailureNamingTheCall) {
    const auto created = create(SocketKind::Udp);
    const Failure failure =
        askForFailure(SetOption{13, created[0].handle, SocketOption::TcpNoDelay, 1});
    EXPECT_EQ(failure.requestId, 13u);
    EXPECT_EQ(failure.call, "setsockopt(TCP_NODELAY)");
    EXPECT_EQ(failure.codeName, "ENOPROTOOPT");
    EXPECT_FALSE(failure.sentence.empty());
}

TEST_F(RequestHandlerTest, ObserveListsEveryDescriptorWithEveryOption) {
    const auto pair = create(SocketKind::TcpPair);
    const auto udp = create(SocketKind::Udp);
    ask<DescriptorsReply>(
        RegisterEvents{14, pair[0].handle, FdRead, RegistrationMechanism::FcntlSetOwn});

    const auto observed = ask<ObservationReply>(Observe{15});
    ASSERT_EQ(observed.descriptors.size(), 3u);
    for (const DescriptorObservation& descriptor : observed.descriptors) {
        ASSERT_EQ(descriptor.options.size(), allSocketOptions().size());
        const bool isPairClient = descriptor.descriptor.handle == pair[0].handle;
        EXPECT_EQ(descriptor.ownerPid, isPairClient ? ::getpid() : 0);
        const bool isUdp = descriptor.descriptor.handle == udp[0].handle;
        for (const OptionReading& reading : descriptor.options) {
            const bool tcpOnly = reading.option == SocketOption::TcpNoDelay;
            EXPECT_EQ(reading.errorCode != 0, isUdp && tcpOnly)
                << toString(reading.option) << " on "
                << toString(descriptor.descriptor.socket.kind);
        }
    }
}

TEST_F(RequestHandlerTest, ObserveReadsOnlyTheNamedHeldDescriptors) {
    const auto pair = create(SocketKind::UnixPair);
    const auto udp = create(SocketKind::Udp);

    const auto observed = ask<ObservationReply>(Observe{16, {udp[0].handle, 999'999}});
    ASSERT_EQ(observed.descriptors.size(), 1u); // 999999 is not held: left out
    EXPECT_EQ(observed.descriptors[0].descriptor.handle, udp[0].handle);
    EXPECT_TRUE(observed.unreadable.empty());
}

TEST_F(RequestHandlerTest, ADescriptorClosedBehindItsBackDoesNotSpoilTheObservation) {
    const auto pair = create(SocketKind::UnixPair);
    // Behind the helper's back (as a debugger would), the number now names a file.
    const int devNull = ::open("/dev/null", O_RDONLY);
    ASSERT_GE(::dup2(devNull, int(pair[1].handle)), 0);
    ::close(devNull);

    const auto observed = ask<ObservationReply>(Observe{17});
    ASSERT_EQ(observed.descriptors.size(), 1u);
    EXPECT_EQ(observed.descriptors[0].descriptor.handle, pair[0].handle);
    EXPECT_EQ(observed.unreadable, std::vector<std::int64_t>{pair[1].handle});
    // No longer held: not reported again, and the file now at that number is not touched.
    EXPECT_FALSE(handler_.held().contains(Handle(pair[1].handle)));
    EXPECT_TRUE(ask<ObservationReply>(Observe{18}).unreadable.empty());
    ::close(int(pair[1].handle));
}

TEST_F(RequestHandlerTest, SendAndReceiveBetweenHeldEnds) {
    const auto pair = create(SocketKind::UnixPair);
    const std::vector<std::uint8_t> bytes{'h', 'i'};
    EXPECT_EQ(ask<SendReply>(Send{16, pair[0].handle, bytes}).sent, 2u);
    EXPECT_EQ(ask<ReceiveReply>(Receive{17, pair[1].handle, 64}).bytes, bytes);
    EXPECT_EQ(askForFailure(Receive{18, pair[1].handle, 64}).codeName, "EAGAIN");
}

TEST_F(RequestHandlerTest, CloseReleasesTheDescriptor) {
    const auto created = create(SocketKind::Udp);
    ask<DescriptorsReply>(CloseDescriptor{19, created[0].handle});
    EXPECT_TRUE(handler_.held().empty());
    EXPECT_FALSE(isOpen(created[0].handle));
    EXPECT_EQ(askForFailure(CloseDescriptor{20, created[0].handle}).codeName, "EBADF");
}

std::vector<Message> everyRequestOn(std::int64_t fd) {
    return {ExportDescriptor{21, fd}, DupDescriptor{21, fd},          SetOption{21, fd},
            GetOption{21, fd},        RegisterEvents{21, fd, FdRead}, Send{21, fd},
            Receive{21, fd, 1},       CloseDescriptor{21, fd}};
}

TEST_F(RequestHandlerTest, ADescriptorNotHeldFailsWithTheOsErrorOfARealCall) {
    // A number no descriptor has (one closed in the helper): the OS's own EBADF, from fstat.
    int closed[2];
    ASSERT_EQ(::pipe(closed), 0);
    ::close(closed[0]);
    ::close(closed[1]);
    for (const Message& request : everyRequestOn(closed[0])) {
        const Failure failure = askForFailure(request);
        EXPECT_EQ(failure.requestId, 21u);
        EXPECT_EQ(failure.code, EBADF);
        EXPECT_EQ(failure.codeName, "EBADF");
        EXPECT_EQ(failure.call, "fstat");
        EXPECT_NE(failure.sentence.find("Bad file descriptor"), std::string::npos)
            << failure.sentence;
    }
    // stdin is open, but not a socket: ENOTSOCK, read from fstat; it stays open.
    for (const Message& request : everyRequestOn(0)) {
        const Failure failure = askForFailure(request);
        EXPECT_EQ(failure.codeName, "ENOTSOCK");
        EXPECT_EQ(failure.call, "fstat");
    }
    EXPECT_TRUE(isOpen(0));
}

TEST_F(RequestHandlerTest, AnOpenSocketTheSessionDidNotMakeIsRefusedAndLeftAlone) {
    // Like the helper's channel to the broker: a socket, open, not one the session made.
    int own[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, own), 0);
    for (const Message& request : everyRequestOn(own[0])) {
        const Failure failure = askForFailure(request);
        EXPECT_EQ(failure.codeName, "not-held");
        EXPECT_TRUE(failure.call.empty()) << "no OS call failed: socklens refused";
        EXPECT_NE(failure.sentence.find("did not make"), std::string::npos) << failure.sentence;
    }
    EXPECT_TRUE(isOpen(own[0]));
    ::close(own[0]);
    ::close(own[1]);
}

TEST_F(RequestHandlerTest, WinsockDuplicationIsRefusedInASentence) {
    const auto created = create(SocketKind::TcpListener);
    const Failure failure = askForFailure(DuplicateForProcess{22, created[0].handle, 1});
    EXPECT_EQ(failure.call, "WSADuplicateSocket");
    EXPECT_NE(failure.sentence.find("WSADuplicateSocket is a Winsock call; this is a Linux helper"),
              std::string::npos)
        << failure.sentence;
    EXPECT_EQ(askForFailure(ImportProtocolInfo{23, {1, 2, 3}, 0}).codeName, "EOPNOTSUPP");
}

TEST_F(RequestHandlerTest, RepliesSentToTheHelperAreRefused) {
    EXPECT_EQ(askForFailure(HelloReply{24}).codeName, "EINVAL");
    EXPECT_EQ(askForFailure(NetworkEvent{}).codeName, "EINVAL");
}

TEST_F(RequestHandlerTest, WinsockRegistrationIsRefused) {
    const auto created = create(SocketKind::Udp);
    const Failure failure = askForFailure(
        RegisterEvents{25, created[0].handle, FdRead, RegistrationMechanism::WsaAsyncSelect});
    EXPECT_EQ(failure.call, "WSAAsyncSelect");
}

TEST_F(RequestHandlerTest, UnknownEnumValuesFailCleanly) {
    const auto created = create(SocketKind::Udp);
    EXPECT_EQ(askForFailure(CreateSocket{26, SocketKind(99), 0}).codeName, "EINVAL");
    EXPECT_EQ(askForFailure(GetOption{27, created[0].handle, SocketOption(99)}).codeName,
              "ENOPROTOOPT");
}

TEST(RequestHandlerLifetime, DestructionClosesEverythingHeld) {
    platform::EventNotifications notifications;
    std::int64_t fd = -1;
    {
        RequestHandler handler(notifications);
        const auto reply = handler.handle(CreateSocket{1, SocketKind::Udp, 0}, {});
        fd = std::get<DescriptorsReply>(reply.message).descriptors.at(0).descriptor.handle;
        EXPECT_GE(::fcntl(int(fd), F_GETFD), 0);
    }
    EXPECT_LT(::fcntl(int(fd), F_GETFD), 0);
}
