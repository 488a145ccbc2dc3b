// Helpers that misbehave: a bad frame, no answer, a listening helper started by hand.
// A fake helper served by the test stands in where a real one cannot be made to misbehave.
#include "broker/broker.h"
#include "listening_helper.h"
#include "platform/posix/fd_channel.h"

#include <atomic>
#include <cstdio>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace socklens;
using namespace std::chrono_literals;

namespace {

broker::BrokerOptions testOptions() {
    broker::BrokerOptions options;
    options.helperPath = SOCKLENS_HELPER_PATH;
    return options;
}

std::string temporarySocketPath(const char* tag) {
    return "/tmp/socklens-test-" + std::string(tag) + "-" + std::to_string(::getpid()) + ".sock";
}

/// Listens on a path like `socklens-helper --listen` would, answers Hello, then misbehaves.
class FakeHelper {
public:
    enum class Misbehaviour {
        BadFrameOnNextRequest,
        NeverAnswerAgain,
        BadFrameOnSecondHello, ///< observations are answered (nothing to read) until then
    };

    FakeHelper(const std::string& path, Misbehaviour misbehaviour)
        : path_(path) {
        ::unlink(path.c_str());
        listener_.reset(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::snprintf(address.sun_path, sizeof address.sun_path, "%s", path.c_str());
        EXPECT_EQ(::bind(listener_.get(), reinterpret_cast<sockaddr*>(&address), sizeof address),
                  0);
        EXPECT_EQ(::listen(listener_.get(), 1), 0);
        thread_ = std::thread([this, misbehaviour] { serve(misbehaviour); });
    }
    ~FakeHelper() {
        stop_ = true;
        thread_.join();
        ::unlink(path_.c_str());
    }

private:
    /// Waits (bounded) for the next frame; nullopt when the broker went away.
    std::optional<platform::ReceivedFrame> nextFrame(platform::FdChannel& channel) {
        while (!stop_) {
            if (auto frame = channel.nextFrame())
                return frame;
            pollfd readable{channel.fd(), POLLIN, 0};
            if (::poll(&readable, 1, 50) > 0 && !channel.readAvailable())
                return std::nullopt;
        }
        return std::nullopt;
    }

    void serve(Misbehaviour misbehaviour) {
        pollfd incoming{listener_.get(), POLLIN, 0};
        if (::poll(&incoming, 1, 10000) <= 0)
            return;
        platform::FdChannel channel(
            platform::UniqueFd(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC)));
        auto hello = nextFrame(channel);
        if (!hello)
            return;
        protocol::HelloReply reply;
        reply.requestId = protocol::requestIdOf(hello->message);
        reply.pid = ::getpid();
        reply.helperVersion = "fake";
        channel.send(reply);
        auto next = nextFrame(channel);
        while (next && misbehaviour == Misbehaviour::BadFrameOnSecondHello &&
               std::holds_alternative<protocol::Observe>(next->message)) {
            protocol::ObservationReply nothing;
            nothing.requestId = protocol::requestIdOf(next->message);
            channel.send(nothing);
            next = nextFrame(channel);
        }
        if (!next)
            return;
        if (misbehaviour != Misbehaviour::NeverAnswerAgain) {
            const char garbage[] = "this is not a socklens frame";
            ::send(channel.fd(), garbage, sizeof garbage, MSG_NOSIGNAL);
        }
        while (nextFrame(channel)) {
        } // never answer; wait until the broker hangs up
    }

    std::string path_;
    platform::UniqueFd listener_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

const ProcessState* processNamed(const State& state, const std::string& name) {
    for (const auto& [id, process] : state.processes) {
        if (process.name == name)
            return &process;
    }
    return nullptr;
}

} // namespace

TEST(BrokerFailures, AHelperSendingABadFrameIsDroppedAndTheOthersGoOn) {
    broker::Broker broker(testOptions());
    const ProcessId real = broker.spawnHelper("real");
    const std::string path = temporarySocketPath("badframe");
    FakeHelper fake(path, FakeHelper::Misbehaviour::BadFrameOnNextRequest);
    try {
        broker.attachHelper(path, "liar");
    } catch (const broker::BrokerError&) {
        // attach observes right away; the bad frame may end it there. Either way:
    }
    const ProcessState* liar = processNamed(broker.state(), "liar");
    ASSERT_NE(liar, nullptr);
    EXPECT_FALSE(liar->alive);
    EXPECT_NE(liar->exitReason.find("bad frame"), std::string::npos) << liar->exitReason;
    EXPECT_NE(liar->exitReason.find("magic"), std::string::npos) << liar->exitReason;
    // The broker and the real helper go on.
    EXPECT_EQ(broker.createSocket(real, SocketKind::TcpPair).size(), 2u);
}

TEST(BrokerFailures, ADuplicateWhoseTargetBreaksDownLeavesTheSourceAnsweringItsOwnRequests) {
    // On Linux the source exports while the target is asked for its pid: when the target
    // fails, the source's reply to the export is still read, not taken for its next answer.
    broker::Broker broker(testOptions());
    const ProcessId source = broker.spawnHelper("source");
    const DescriptorRef connection = broker.createSocket(source, SocketKind::TcpPair).at(0);
    const std::string path = temporarySocketPath("second-hello");
    FakeHelper fake(path, FakeHelper::Misbehaviour::BadFrameOnSecondHello);
    const ProcessId target = broker.attachHelper(path, "liar");
    try {
        broker.duplicate(connection, target);
        ADD_FAILURE() << "a duplicate into a helper that sends a bad frame succeeded";
    } catch (const broker::BrokerError& error) {
        EXPECT_EQ(error.codeName(), "helper-gone") << error.what();
    }
    EXPECT_FALSE(broker.state().process(target)->alive);
    EXPECT_TRUE(broker.state().process(source)->alive);
    EXPECT_NO_THROW(broker.getOption(connection, SocketOption::RcvBuf));
    EXPECT_TRUE(broker.state().process(source)->alive);
    EXPECT_EQ(broker.state().socket(broker.state().descriptor(connection)->socket)->count, 1);
}

TEST(BrokerFailures, AHelperThatStopsAnsweringTimesOutAndIsDropped) {
    broker::BrokerOptions options = testOptions();
    options.commandTimeout = 300ms;
    broker::Broker broker(options);
    const ProcessId real = broker.spawnHelper("real");
    const std::string path = temporarySocketPath("hang");
    FakeHelper fake(path, FakeHelper::Misbehaviour::NeverAnswerAgain);
    try {
        broker.attachHelper(path, "sleeper");
    } catch (const broker::BrokerError&) {
    }
    const ProcessState* sleeper = processNamed(broker.state(), "sleeper");
    ASSERT_NE(sleeper, nullptr);
    EXPECT_FALSE(sleeper->alive);
    EXPECT_NE(sleeper->exitReason.find("did not answer"), std::string::npos) << sleeper->exitReason;
    EXPECT_TRUE(::kill(::getpid(), 0) == 0); // an attached process is dropped, never killed
    EXPECT_EQ(broker.createSocket(real, SocketKind::Udp).size(), 1u);
}

TEST(BrokerFailures, AttachesToAHelperStartedByHand) {
    const std::string path = temporarySocketPath("listen");
    // The helper says where it listens in one line once it is ready.
    const socklens::testing::ListeningHelper started =
        socklens::testing::startListeningHelper(SOCKLENS_HELPER_PATH, path);
    const pid_t child = started.pid;
    ASSERT_NE(started.said.find(path), std::string::npos) << started.said;

    {
        broker::Broker broker(testOptions());
        const ProcessId attached = broker.attachHelper(path, "by-hand");
        EXPECT_EQ(broker.state().process(attached)->pid.value(), child);
        const std::vector<DescriptorRef> pair = broker.createSocket(attached, SocketKind::TcpPair);
        EXPECT_EQ(broker.state().socket(broker.state().descriptor(pair[0])->socket)->count, 1);
        broker.killHelper(attached);
        EXPECT_FALSE(broker.state().process(attached)->alive);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

TEST(BrokerFailures, AttachingToNothingIsAClearError) {
    broker::Broker broker(testOptions());
    try {
        broker.attachHelper("/tmp/socklens-test-nobody-listens.sock", "ghost");
        FAIL() << "attached to nothing";
    } catch (const broker::BrokerError& error) {
        EXPECT_NE(std::string(error.what()).find("socklens-helper --listen"), std::string::npos)
            << error.what();
    }
}

TEST(BrokerFailures, AMissingHelperBinaryIsAClearError) {
    broker::BrokerOptions options;
    options.helperPath = "/nonexistent/socklens-helper";
    broker::Broker broker(options);
    try {
        broker.spawnHelper("A");
        FAIL() << "spawned a helper that does not exist";
    } catch (const broker::BrokerError& error) {
        EXPECT_NE(std::string(error.what()).find("/nonexistent/socklens-helper"),
                  std::string::npos);
    }
}
