// WSAEventSelect and WSAAsyncSelect as Winsock reports them: what arrives, and who it reaches
// once another process registered through its own descriptor (C7).
#include "winsock_test.h"

#include <algorithm>

using namespace socklens;
using namespace std::chrono_literals;

namespace {

class WinsockNotifications : public wintest::WinsockTest {
protected:
    void SetUp() override {
        WinsockTest::SetUp();
        if (HasFatalFailure())
            return;
        a_ = broker_.spawnHelper("a");
        b_ = broker_.spawnHelper("b");
        const auto pair = broker_.createSocket(a_, SocketKind::TcpPair);
        conn_ = pair[0];
        peer_ = pair[1];
        copy_ = broker_.duplicate(conn_, b_);
    }

    /// Notifications `process` got with any of `mask` from the journal entry `since` on.
    std::int64_t deliveredTo(ProcessId process, EventMask mask, Sequence since) const {
        return std::count_if(broker_.state().events.begin(), broker_.state().events.end(),
                             [&](const DeliveredEvent& e) {
                                 return e.at > since && e.descriptor.process == process &&
                                        (e.events & mask);
                             });
    }

    broker::Broker broker_{wintest::winsockOptions()};
    ProcessId a_, b_;
    DescriptorRef conn_, peer_, copy_;
};

} // namespace

TEST_F(WinsockNotifications, AsyncSelectMessagesReachTheWindow) {
    const Sequence since = broker_.journal().lastSequence();
    broker_.registerEvents(copy_, FdRead, RegistrationMechanism::WsaAsyncSelect);
    broker_.send(peer_, "ping");
    EXPECT_TRUE(
        broker_.waitUntil([&](const State&) { return deliveredTo(b_, FdRead, since) > 0; }, 5s));
    const DeliveredEvent& event = broker_.state().events.back();
    EXPECT_EQ(event.descriptor, copy_);
    EXPECT_EQ(event.registered, EventMask(FdRead));
    EXPECT_EQ(event.socket, socketOf(broker_, conn_).id);
}

TEST_F(WinsockNotifications, TheLastRegistrationWinsAcrossProcessesAndMechanisms) {
    broker_.registerEvents(conn_, FdRead, RegistrationMechanism::WsaAsyncSelect);
    const Sequence since = broker_.journal().lastSequence();
    // b's WSAEventSelect through its own descriptor replaces a's WSAAsyncSelect.
    broker_.registerEvents(copy_, FdRead | FdWrite, RegistrationMechanism::WsaEventSelect);
    broker_.send(peer_, "probe");
    EXPECT_TRUE(
        broker_.waitUntil([&](const State&) { return deliveredTo(b_, FdRead, since) > 0; }, 5s));
    // The probe reached b; a, whose registration was replaced, heard nothing of it.
    EXPECT_EQ(broker_.receive(copy_, 64), "probe");
    broker_.observe();
    EXPECT_EQ(deliveredTo(a_, FdRead | FdWrite, since), 0);
}

TEST_F(WinsockNotifications, ALinuxMechanismIsRefusedWithASentence) {
    try {
        broker_.registerEvents(conn_, FdRead, RegistrationMechanism::FcntlSetOwn);
        ADD_FAILURE() << "F_SETOWN_EX was accepted by a Winsock helper";
    } catch (const broker::BrokerError& error) {
        EXPECT_EQ(error.codeName(), "WSAEOPNOTSUPP");
        EXPECT_NE(std::string(error.what()).find("is a Linux call"), std::string::npos)
            << error.what();
    }
}
