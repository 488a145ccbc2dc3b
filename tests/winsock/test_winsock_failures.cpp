// Winsock helpers that die, talk nonsense or are asked for the impossible: the broker says
// what happened and goes on.
#include "winsock_test.h"

#include <fstream>
#include <unistd.h>

using namespace socklens;
using namespace std::chrono_literals;

namespace {

class WinsockFailures : public wintest::WinsockTest {
protected:
    broker::Broker broker_{wintest::winsockOptions()};
};

} // namespace

TEST_F(WinsockFailures, AKilledHelperTakesOnlyItsHandles) {
    const ProcessId creator = broker_.spawnHelper("creator");
    const ProcessId worker = broker_.spawnHelper("worker");
    const auto pair = broker_.createSocket(creator, SocketKind::TcpPair);
    const DescriptorRef copy = broker_.duplicate(pair[0], worker);
    EXPECT_EQ(socketOf(broker_, pair[0]).count, 2);

    broker_.killHelper(worker);
    const ProcessState& killed = *broker_.state().process(worker);
    EXPECT_FALSE(killed.alive);
    EXPECT_NE(killed.exitReason.find("SIGKILL"), std::string::npos) << killed.exitReason;
    EXPECT_FALSE(broker_.state().descriptor(copy)->open);
    // Wine closes the dead process's handles on its own time: the object manager's count falls.
    EXPECT_TRUE(
        broker_.waitUntil([&](const State&) { return socketOf(broker_, pair[0]).count == 1; }, 5s))
        << "HandleCount still " << socketOf(broker_, pair[0]).count;
    // C6: the socket stays usable through the descriptor that is left.
    broker_.send(pair[0], "after the kill");
    EXPECT_EQ(broker_.receive(pair[1], 64), "after the kill");
    EXPECT_THROW(broker_.send(copy, "x"), broker::BrokerError);
}

TEST_F(WinsockFailures, AHelperThatSendsGarbageIsDroppedWithTheReason) {
    // Wine runs a batch file like a program: this one answers Hello with a line of text.
    const std::string fake = "/tmp/socklens-garbage-" + std::to_string(::getpid()) + ".bat";
    std::ofstream(fake) << "@echo this is not a socklens frame\r\n";
    broker::BrokerOptions options = wintest::winsockOptions();
    options.winsockHelperPath = fake;
    broker::Broker broker(options);
    const ProcessId bystander = broker.spawnHelper("bystander", Platform::Linux);
    try {
        broker.spawnHelper("liar");
        ADD_FAILURE() << "a helper that sent garbage was accepted";
    } catch (const broker::BrokerError& error) {
        const std::string sentence = error.what();
        EXPECT_NE(sentence.find("sent a bad frame"), std::string::npos) << sentence;
        // The decoder names what came instead of the magic: "this" in hex.
        EXPECT_NE(sentence.find("74 68 69 73"), std::string::npos) << sentence;
    }
    ::unlink(fake.c_str());
    // Only the liar's session ended: the broker and its other helper go on.
    EXPECT_EQ(broker.helpers(), std::vector{bystander});
    EXPECT_EQ(broker.createSocket(bystander, SocketKind::Udp).size(), 1u);
}

TEST_F(WinsockFailures, LinuxAndWinsockDescriptorsAreNotShared) {
    const ProcessId onLinux = broker_.spawnHelper("on-linux", Platform::Linux);
    const ProcessId onWine = broker_.spawnHelper("on-wine", Platform::WinsockWine);
    const auto linuxSocket = broker_.createSocket(onLinux, SocketKind::Udp);
    const auto wineSocket = broker_.createSocket(onWine, SocketKind::Udp);
    for (const auto& [from, into] :
         {std::pair{linuxSocket[0], onWine}, std::pair{wineSocket[0], onLinux}}) {
        try {
            broker_.duplicate(from, into);
            ADD_FAILURE() << "a duplicate across kernels was made";
        } catch (const broker::BrokerError& error) {
            EXPECT_EQ(error.codeName(), "different-kernels");
            EXPECT_NE(
                std::string(error.what()).find("objects of different kernels cannot be shared"),
                std::string::npos)
                << error.what();
        }
    }
    EXPECT_EQ(socketOf(broker_, wineSocket[0]).count, 1);
    EXPECT_TRUE(broker_.state().duplications.empty());
}

TEST_F(WinsockFailures, ReuseNeedsProtocolInfo) {
    const ProcessId helper = broker_.spawnHelper("solo");
    const auto udp = broker_.createSocket(helper, SocketKind::Udp);
    try {
        broker_.reuseProtocolInfo(udp[0]);
        ADD_FAILURE() << "a socket that no protocol info made was reused";
    } catch (const broker::BrokerError& error) {
        EXPECT_EQ(error.codeName(), "no-protocol-info");
    }
}
