// Duplicates between and inside Winsock helpers: the flags travel with the socket (C9), and
// every copy is one more handle of the same object.
#include "winsock_test.h"

using namespace socklens;

namespace {

class WinsockDuplication : public wintest::WinsockTest {
protected:
    broker::Broker broker_{wintest::winsockOptions()};
};

constexpr std::uint32_t kOverlappedNoInherit = 0x81; // WSA_FLAG_OVERLAPPED|NO_HANDLE_INHERIT

} // namespace

TEST_F(WinsockDuplication, TheTargetPassesTheFlagsTheSourceUsed) {
    const ProcessId a = broker_.spawnHelper("a");
    const ProcessId b = broker_.spawnHelper("b");
    const auto made = broker_.createSocket(a, SocketKind::TcpPair, kOverlappedNoInherit);
    const DescriptorRef copy = broker_.duplicate(made[0], b);
    const DuplicationState& duplication = broker_.state().duplications.begin()->second;
    EXPECT_NE(duplication.steps.at(0).text.find(
                  "made with WSASocket(WSA_FLAG_OVERLAPPED|WSA_FLAG_NO_HANDLE_INHERIT)"),
              std::string::npos)
        << duplication.steps.at(0).text;
    EXPECT_NE(duplication.steps.at(6).text.find(
                  "&info, 0, WSA_FLAG_OVERLAPPED|WSA_FLAG_NO_HANDLE_INHERIT)"),
              std::string::npos)
        << duplication.steps.at(6).text;
    // The copy is the same connection: what one end sends, the other's copy reads.
    broker_.send(made[1], "to the copy");
    EXPECT_EQ(broker_.receive(copy, 64), "to the copy");
}

TEST_F(WinsockDuplication, ACopyInsideOneProcessIsAnotherHandle) {
    const ProcessId a = broker_.spawnHelper("a");
    const auto made = broker_.createSocket(a, SocketKind::Udp);
    const DescriptorRef copy = broker_.duplicate(made[0], a);
    EXPECT_NE(copy.handle, made[0].handle);
    EXPECT_EQ(socketOf(broker_, made[0]).count, 2);
    EXPECT_EQ(broker_.state().descriptor(copy)->socket,
              broker_.state().descriptor(made[0])->socket);
    broker_.close(made[0]);
    EXPECT_EQ(socketOf(broker_, copy).count, 1);
    EXPECT_TRUE(socketOf(broker_, copy).open);
}
