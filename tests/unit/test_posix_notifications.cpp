// F_SETOWN_EX + F_SETSIG + O_ASYNC in this very process: what the kernel delivers, and to whom.
#include "platform/notifications.h"
#include "platform/os_error.h"
#include "platform/socket_api.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace socklens;
using namespace socklens::platform;

namespace {

class PosixNotifications : public testing::Test {
protected:
    void SetUp() override { pair_ = createSockets(SocketKind::TcpPair, 0); }
    void TearDown() override {
        for (const Handle handle : pair_)
            ::close(int(handle.value()));
    }

    Handle registered() const { return pair_[0]; }
    Handle peer() const { return pair_[1]; }

    void pokeFromPeer() {
        const std::uint8_t byte = 42;
        ASSERT_EQ(::write(int(peer().value()), &byte, 1), 1);
    }

    /// Waits (bounded) until something is delivered, then takes all of it.
    std::vector<protocol::NetworkEvent> awaitEvents() {
        pollfd waiter{int(notifications_.waitable()), POLLIN, 0};
        if (::poll(&waiter, 1, 5000) != 1)
            return {};
        return notifications_.drain();
    }

    static std::uint64_t inodeOf(Handle handle) {
        struct stat status {};
        ::fstat(int(handle.value()), &status);
        return status.st_ino;
    }

    EventNotifications notifications_;
    std::vector<Handle> pair_;
};

} // namespace

TEST_F(PosixNotifications, ArrivingDataIsDeliveredAsFdRead) {
    notifications_.registerFor(registered(), FdRead, RegistrationMechanism::FcntlSetOwn);
    EXPECT_EQ(registrationOwner(registered()), ::getpid());
    pokeFromPeer();

    const std::vector<protocol::NetworkEvent> events = awaitEvents();
    ASSERT_FALSE(events.empty()) << "no notification within 5 s";
    EXPECT_EQ(events[0].handle, registered().value());
    EXPECT_EQ(events[0].identity, inodeOf(registered()));
    EXPECT_EQ(events[0].events, FdRead);
    EXPECT_EQ(events[0].registered, FdRead);
    EXPECT_TRUE(events[0].band & POLLIN) << events[0].band;
}

TEST_F(PosixNotifications, DeliveriesNameTheDescriptorThatRegisteredLast) {
    notifications_.registerFor(registered(), FdRead | FdWrite, RegistrationMechanism::FcntlSetOwn);
    const Handle copy = duplicateInProcess(registered());
    pair_.push_back(copy);
    notifications_.registerFor(copy, FdRead, RegistrationMechanism::FcntlSetOwn);
    pokeFromPeer();

    const std::vector<protocol::NetworkEvent> events = awaitEvents();
    ASSERT_FALSE(events.empty()) << "no notification within 5 s";
    EXPECT_EQ(events[0].handle, copy.value());
    EXPECT_EQ(events[0].identity, inodeOf(registered()));
    EXPECT_EQ(events[0].registered, FdRead); // per socket: the last registration counts
}

TEST_F(PosixNotifications, RegisteringNothingCancelsTheRegistration) {
    notifications_.registerFor(registered(), FdRead, RegistrationMechanism::FcntlSetOwn);
    notifications_.registerFor(registered(), 0, RegistrationMechanism::FcntlSetOwn);
    EXPECT_EQ(registrationOwner(registered()), 0);
    EXPECT_FALSE(::fcntl(int(registered().value()), F_GETFL) & O_ASYNC);
}

TEST_F(PosixNotifications, AForgottenDescriptorIsNoLongerVouchedFor) {
    notifications_.registerFor(registered(), FdRead, RegistrationMechanism::FcntlSetOwn);
    notifications_.forget(registered());
    pokeFromPeer();

    const std::vector<protocol::NetworkEvent> events = awaitEvents();
    ASSERT_FALSE(events.empty()) << "no notification within 5 s";
    EXPECT_EQ(events[0].identity, 0u);
    EXPECT_EQ(events[0].registered, 0u);
    EXPECT_EQ(events[0].events, FdRead);
}

TEST_F(PosixNotifications, WinsockMechanismsAreRefused) {
    try {
        notifications_.registerFor(registered(), FdRead, RegistrationMechanism::WsaEventSelect);
        FAIL() << "WSAEventSelect was accepted on Linux";
    } catch (const OsError& error) {
        EXPECT_EQ(error.call(), "WSAEventSelect");
        EXPECT_EQ(error.codeName(), "EOPNOTSUPP");
    }
}

TEST_F(PosixNotifications, OnlySocketsCanBeRegistered) {
    int pipeEnds[2];
    ASSERT_EQ(::pipe(pipeEnds), 0);
    try {
        notifications_.registerFor(Handle(pipeEnds[0]), FdRead, RegistrationMechanism::FcntlSetOwn);
        ADD_FAILURE() << "a pipe was registered";
    } catch (const OsError& error) {
        EXPECT_EQ(error.codeName(), "ENOTSOCK");
    }
    ::close(pipeEnds[0]);
    ::close(pipeEnds[1]);
}

TEST_F(PosixNotifications, NothingDeliveredMeansNothingDrained) {
    EXPECT_TRUE(notifications_.drain().empty());
}
