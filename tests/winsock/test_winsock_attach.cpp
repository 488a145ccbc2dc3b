// Attaching read-only to a Windows program of the prefix that is not a helper (issue 11.2):
// winsock-server.exe prints its Windows pid and its sockets' handles and addresses; what
// socklens reads after attaching must be the same, its copies must not be counted, and a
// socket the program makes later (the accepted connection) joins as the session goes on.
#include "platform/posix/unique_fd.h"
#include "wine_program.h"
#include "winsock_test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sstream>
#include <sys/socket.h>

using namespace socklens;
using namespace std::chrono_literals;

namespace {

/// The words of a line winsock-server.exe printed ("listening 164 127.0.0.1:4711").
std::vector<std::string> words(const std::optional<std::string>& line) {
    std::vector<std::string> out;
    std::istringstream in(line.value_or(""));
    for (std::string word; in >> word;)
        out.push_back(word);
    return out;
}

/// A Linux TCP connection to 127.0.0.1:`port` (Wine's sockets are Linux's).
platform::UniqueFd connectTo(std::uint16_t port) {
    platform::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
        return platform::UniqueFd();
    return fd;
}

class WinsockAttach : public wintest::WinsockTest {
protected:
    broker::Broker broker_{wintest::winsockOptions()};

    const SocketState* socketOf(const DescriptorRef& ref) const {
        const DescriptorState* descriptor = broker_.state().descriptor(ref);
        return descriptor && descriptor->open ? broker_.state().socket(descriptor->socket)
                                              : nullptr;
    }
};

} // namespace

TEST_F(WinsockAttach, SeesTheHandlesAndAddressesTheProgramPrints) {
    broker_.spawnHelper("reader"); // reads the prefix for the session
    wintest::WineProgram server(SOCKLENS_WINSOCK_SERVER_PATH, {});
    const std::vector<std::string> pid = words(server.readLine(30s));
    const std::vector<std::string> listening = words(server.readLine(10s));
    ASSERT_EQ(pid.size(), 2u) << "winsock-server.exe printed no pid";
    ASSERT_EQ(listening.size(), 3u) << "winsock-server.exe printed no listening socket";
    const std::int64_t windowsPid = std::stoll(pid[1]);

    const std::vector<std::string> listed = [&] {
        std::vector<std::string> images;
        for (const protocol::ListedProcess& process : broker_.windowsProcesses())
            if (process.pid == windowsPid)
                images.push_back(process.image);
        return images;
    }();
    EXPECT_EQ(listed, std::vector<std::string>{"winsock-server.exe"});

    const std::vector<ProcessId> joined =
        broker_.attach({broker::AttachTarget::Kind::WindowsPid, std::uint64_t(windowsPid)});
    ASSERT_EQ(joined.size(), 1u);
    const ProcessId s = joined.front();
    const ProcessState& process = *broker_.state().process(s);
    EXPECT_TRUE(process.foreign);
    EXPECT_FALSE(process.helper);
    EXPECT_EQ(process.pid.value(), windowsPid);
    EXPECT_EQ(process.name, "winsock-server.exe");
    EXPECT_EQ(process.linuxPid, server.linuxPid());
    EXPECT_NE(process.limits.find("not read"), std::string::npos) << process.limits;

    const DescriptorRef listener{s, Handle(std::stoll(listening[1]))};
    const SocketState* seen = socketOf(listener);
    ASSERT_NE(seen, nullptr) << "the listening handle " << listening[1] << " was not found";
    EXPECT_EQ(seen->kind, "TCP listener");
    EXPECT_EQ(seen->local, listening[2]);
    EXPECT_EQ(seen->peer, "");
    EXPECT_EQ(seen->tcpState, "LISTEN");

    // A connection accepted after the attach joins at a later reading.
    const std::uint16_t port =
        std::uint16_t(std::stoul(listening[2].substr(listening[2].find(':') + 1)));
    const platform::UniqueFd client = connectTo(port);
    ASSERT_TRUE(client.valid());
    const std::vector<std::string> accepted = words(server.readLine(10s));
    ASSERT_EQ(accepted.size(), 4u) << "winsock-server.exe printed no accepted socket";
    const DescriptorRef connection{s, Handle(std::stoll(accepted[1]))};
    ASSERT_TRUE(broker_.waitUntil(
        [&](const State&) { return socketOf(connection) && socketOf(listener)->count == 1; }, 10s))
        << "the accepted socket never joined, or the listener's count is not its one handle";
    const SocketState& connected = *socketOf(connection);
    EXPECT_EQ(connected.kind, "TCP connected");
    EXPECT_EQ(connected.local, accepted[2]);
    EXPECT_EQ(connected.peer, accepted[3]);
    EXPECT_EQ(connected.tcpState, "ESTABLISHED");

    // Exactly its two sockets; the helper's copies were closed at once and are not counted.
    std::set<std::int64_t> handles;
    for (const auto& [ref, descriptor] : broker_.state().descriptors)
        if (ref.process == s && descriptor.open)
            handles.insert(ref.handle.value());
    EXPECT_EQ(handles,
              (std::set<std::int64_t>{listener.handle.value(), connection.handle.value()}));
    ASSERT_TRUE(broker_.waitUntil(
        [&](const State&) {
            const SocketState* now = socketOf(connection);
            return now && now->count == 1 && now->holders.size() == 1;
        },
        10s));
    for (const DescriptorRef& ref : {listener, connection}) {
        const SocketState& socket = *socketOf(ref);
        EXPECT_EQ(socket.count, 1);
        ASSERT_EQ(socket.holders.size(), 1u);
        EXPECT_EQ(socket.holders[0].process, s);
        EXPECT_EQ(socket.holders[0].handle, ref.handle);
        // socket() and accept() make inheritable handles: the table's OBJ_INHERIT.
        EXPECT_EQ(socket.holders[0].inheritance, entry::Inheritance::Inheritable);
    }

    // A deep read is pidfd_getfd's: a Windows pid names no Linux process, so it is refused.
    try {
        broker_.deepRead(s);
        ADD_FAILURE() << "a deep read of a Windows program was not refused";
    } catch (const broker::BrokerError& error) {
        EXPECT_EQ(error.codeName(), "not-supported") << error.what();
    }

    server.end();
    ASSERT_TRUE(server.awaitExit(30s));
    EXPECT_TRUE(
        broker_.waitUntil([&](const State& state) { return !state.process(s)->alive; }, 10s))
        << "the attached program ended but stayed in the session";
}

TEST_F(WinsockAttach, AProcessThatIsNotRunningIsRefused) {
    broker_.spawnHelper("reader");
    try {
        broker_.attach({broker::AttachTarget::Kind::WindowsPid, 0x7ffff0});
        FAIL() << "attached to a Windows pid that is not running";
    } catch (const broker::BrokerError& error) {
        EXPECT_EQ(error.codeName(), "no-such-process") << error.what();
    }
}

TEST_F(WinsockAttach, WithoutAHelperToReadThePrefixItSaysSo) {
    try {
        broker_.attach({broker::AttachTarget::Kind::WindowsPid, 32});
        FAIL() << "attached without a Winsock helper to read the prefix";
    } catch (const broker::BrokerError& error) {
        EXPECT_EQ(error.codeName(), "no-reader") << error.what();
        EXPECT_NE(std::string(error.what()).find("start one"), std::string::npos);
    }
}
