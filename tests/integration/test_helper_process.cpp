// The real socklens-helper binary, spawned and spoken to the way the broker does: through an
// FdChannel, with descriptors crossing by SCM_RIGHTS. Checks what the kernel reports.
#include "os_probe.h"
#include "platform/posix/fd_channel.h"
#include "protocol/messages.h"

#include <csignal>
#include <deque>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <optional>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace socklens;
using namespace socklens::protocol;
using platform::FdChannel;
using platform::UniqueFd;
using socklens::testing::inodeOf;

namespace {

constexpr int kBoundMs = 5000;

/// A child process with an optional inherited descriptor and captured stdout/stderr.
class Child {
public:
    Child(const std::vector<std::string>& arguments, int inherited = -1) {
        int out[2];
        int err[2];
        if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0)
            throw std::runtime_error("pipe2 failed");
        std::vector<char*> argv;
        for (const std::string& argument : arguments)
            argv.push_back(const_cast<char*>(argument.c_str()));
        argv.push_back(nullptr);

        pid_ = ::fork();
        if (pid_ == 0) {
            ::dup2(out[1], STDOUT_FILENO);
            ::dup2(err[1], STDERR_FILENO);
            if (inherited >= 0)
                ::fcntl(inherited, F_SETFD, 0);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        ::close(out[1]);
        ::close(err[1]);
        stdout_.reset(out[0]);
        stderr_.reset(err[0]);
        // glibc 2.36 declares pidfd_open without extern "C", so C++ cannot link it: syscall.
        pidfd_.reset(int(::syscall(SYS_pidfd_open, pid_, 0)));
    }

    /// SIGTERM first: a listening helper removes its socket path on it.
    ~Child() {
        if (!exitStatus_)
            ::kill(pid_, SIGTERM);
        if (!waitForExit()) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }

    pid_t pid() const { return pid_; }

    /// The wait status once the child has ended, or nullopt if it is still running after the
    /// bound.
    std::optional<int> waitForExit(int boundMs = kBoundMs) {
        pollfd waiter{pidfd_.get(), POLLIN, 0};
        if (!exitStatus_ && ::poll(&waiter, 1, boundMs) == 1) {
            int status = 0;
            ::waitpid(pid_, &status, 0);
            exitStatus_ = status;
        }
        return exitStatus_;
    }

    /// One line of stdout (without the newline), read within the bound.
    std::string readStdoutLine() { return readLine(stdout_.get()); }
    std::string readStderrLine() { return readLine(stderr_.get()); }

    /// Everything the child writes to stdout until it closes it.
    std::string readAllStdout() {
        std::string text;
        for (std::string line = readLine(stdout_.get()); !line.empty();
             line = readLine(stdout_.get()))
            text += line + "\n";
        return text;
    }

private:
    static std::string readLine(int fd) {
        std::string line;
        char c = 0;
        pollfd waiter{fd, POLLIN, 0};
        while (::poll(&waiter, 1, kBoundMs) == 1 && ::read(fd, &c, 1) == 1 && c != '\n')
            line += c;
        return line;
    }

    pid_t pid_ = -1;
    UniqueFd stdout_;
    UniqueFd stderr_;
    UniqueFd pidfd_;
    std::optional<int> exitStatus_;
};

/// Speaks the protocol to one helper, keeping unsolicited NetworkEvents aside.
class BrokerSide {
public:
    explicit BrokerSide(UniqueFd socket)
        : channel_(std::move(socket)) {}

    int fd() const { return channel_.fd(); }

    /// Sends `request` and returns the frame that answers it.
    platform::ReceivedFrame request(const Message& request, std::span<const int> fds = {}) {
        channel_.send(request, fds);
        for (;;) {
            std::optional<platform::ReceivedFrame> frame = nextFrame();
            if (!frame)
                throw std::runtime_error("no reply within the bound");
            if (auto* event = std::get_if<NetworkEvent>(&frame->message))
                events_.push_back(*event);
            else
                return std::move(*frame);
        }
    }

    template <class ReplyType>
    ReplyType ask(const Message& message, std::span<const int> fds = {}) {
        platform::ReceivedFrame frame = request(message, fds);
        if (const auto* failure = std::get_if<Failure>(&frame.message))
            throw std::runtime_error("Failure: " + failure->sentence);
        return std::get<ReplyType>(frame.message);
    }

    /// Exports `handle` and returns the descriptor that arrived here.
    UniqueFd exportDescriptor(std::int64_t handle) {
        platform::ReceivedFrame frame = request(ExportDescriptor{99, handle});
        if (frame.fds.size() != 1)
            throw std::runtime_error("ExportDescriptor brought no descriptor");
        return std::move(frame.fds[0]);
    }

    std::optional<NetworkEvent> awaitEvent() {
        while (events_.empty()) {
            std::optional<platform::ReceivedFrame> frame = nextFrame();
            if (!frame)
                return std::nullopt;
            if (auto* event = std::get_if<NetworkEvent>(&frame->message))
                events_.push_back(*event);
        }
        const NetworkEvent event = events_.front();
        events_.pop_front();
        return event;
    }

    const std::deque<NetworkEvent>& pendingEvents() const { return events_; }

private:
    std::optional<platform::ReceivedFrame> nextFrame() {
        for (;;) {
            if (std::optional<platform::ReceivedFrame> frame = channel_.nextFrame())
                return frame;
            pollfd waiter{channel_.fd(), POLLIN, 0};
            if (::poll(&waiter, 1, kBoundMs) != 1 || !channel_.readAvailable())
                return std::nullopt;
        }
    }

    FdChannel channel_;
    std::deque<NetworkEvent> events_;
};

/// A helper spawned the way the broker spawns it: one inherited socketpair end.
struct SpawnedHelper {
    static std::pair<UniqueFd, UniqueFd> channelPair() {
        int ends[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0)
            throw std::runtime_error("socketpair failed");
        return {UniqueFd(ends[0]), UniqueFd(ends[1])};
    }

    explicit SpawnedHelper(std::pair<UniqueFd, UniqueFd> ends = channelPair())
        : process({SOCKLENS_HELPER_PATH, "--channel-fd", std::to_string(ends.second.get())},
                  ends.second.get())
        , broker(std::move(ends.first)) {}

    Child process;
    BrokerSide broker;
};

void writeByte(int fd) {
    const char byte = 'x';
    ASSERT_EQ(::write(fd, &byte, 1), 1);
}

std::int64_t ownerSeenBy(BrokerSide& broker, std::int64_t handle) {
    for (const DescriptorObservation& observation :
         broker.ask<ObservationReply>(Observe{50}).descriptors) {
        if (observation.descriptor.handle == handle)
            return observation.ownerPid;
    }
    throw std::runtime_error("the helper does not hold descriptor " + std::to_string(handle));
}

} // namespace

TEST(HelperProcess, HelloNamesTheChild) {
    SpawnedHelper helper;
    const auto hello = helper.broker.ask<HelloReply>(Hello{1});
    EXPECT_EQ(hello.requestId, 1u);
    EXPECT_EQ(hello.pid, helper.process.pid());
    EXPECT_EQ(hello.platform, Platform::Linux);
    EXPECT_FALSE(hello.helperVersion.empty());
}

TEST(HelperProcess, ExportedDescriptorNamesTheReportedSocket) {
    SpawnedHelper helper;
    const auto created = helper.broker.ask<DescriptorsReply>(CreateSocket{2, SocketKind::TcpPair});
    ASSERT_EQ(created.descriptors.size(), 2u);
    EXPECT_EQ(created.descriptors[0].descriptor.socket.tcpState, "ESTABLISHED");

    const UniqueFd exported =
        helper.broker.exportDescriptor(created.descriptors[0].descriptor.handle);
    EXPECT_EQ(inodeOf(exported.get()), created.descriptors[0].descriptor.socket.identity);
}

TEST(HelperProcess, ARegisteredHelperIsToldOfArrivingData) {
    SpawnedHelper helper;
    const auto created = helper.broker.ask<DescriptorsReply>(CreateSocket{3, SocketKind::TcpPair});
    const DescriptorDescription& watched = created.descriptors.at(0).descriptor;
    const UniqueFd peer =
        helper.broker.exportDescriptor(created.descriptors.at(1).descriptor.handle);
    helper.broker.ask<DescriptorsReply>(RegisterEvents{4, watched.handle, FdRead});

    writeByte(peer.get());
    const std::optional<NetworkEvent> event = helper.broker.awaitEvent();
    ASSERT_TRUE(event) << "no NetworkEvent within " << kBoundMs << " ms";
    EXPECT_EQ(event->handle, watched.handle);
    EXPECT_EQ(event->identity, watched.socket.identity);
    EXPECT_EQ(event->events, FdRead);
    EXPECT_EQ(event->registered, FdRead);
}

// C7: a registration through any descriptor, in any process, replaces the previous one.
TEST(HelperProcess, TheLastRegistrationWinsAcrossProcesses) {
    SpawnedHelper first;
    SpawnedHelper second;
    const auto created = first.broker.ask<DescriptorsReply>(CreateSocket{5, SocketKind::TcpPair});
    const DescriptorDescription& shared = created.descriptors.at(0).descriptor;
    const UniqueFd peer =
        first.broker.exportDescriptor(created.descriptors.at(1).descriptor.handle);
    first.broker.ask<DescriptorsReply>(RegisterEvents{6, shared.handle, FdRead});
    EXPECT_EQ(ownerSeenBy(first.broker, shared.handle), first.process.pid());

    std::int64_t inSecond = 0;
    {
        const UniqueFd inFlight = first.broker.exportDescriptor(shared.handle);
        const int fds[] = {inFlight.get()};
        const auto imported = second.broker.ask<DescriptorsReply>(ImportDescriptor{7}, fds);
        ASSERT_EQ(imported.descriptors.size(), 1u);
        EXPECT_EQ(imported.descriptors[0].descriptor.socket.identity, shared.socket.identity);
        inSecond = imported.descriptors[0].descriptor.handle;
    }
    second.broker.ask<DescriptorsReply>(RegisterEvents{8, inSecond, FdWrite});

    EXPECT_EQ(ownerSeenBy(first.broker, shared.handle), second.process.pid());
    EXPECT_EQ(ownerSeenBy(second.broker, inSecond), second.process.pid());

    // The probe: only the new owner is notified.
    writeByte(peer.get());
    const std::optional<NetworkEvent> event = second.broker.awaitEvent();
    ASSERT_TRUE(event) << "the second helper got no NetworkEvent within " << kBoundMs << " ms";
    EXPECT_EQ(event->handle, inSecond);
    EXPECT_EQ(event->identity, shared.socket.identity);
    EXPECT_EQ(event->events, FdRead);
    EXPECT_EQ(event->registered, FdWrite);
    // The kernel queued any signal for the first helper before the second one's arrived, and a
    // helper forwards deliveries before it answers: none may precede this reply.
    first.broker.ask<HelloReply>(Hello{9});
    EXPECT_TRUE(first.broker.pendingEvents().empty());
}

TEST(HelperProcess, EndsCleanlyWhenTheBrokerHangsUp) {
    auto ends = SpawnedHelper::channelPair();
    Child process({SOCKLENS_HELPER_PATH, "--channel-fd", std::to_string(ends.second.get())},
                  ends.second.get());
    ends.second.reset();
    ends.first.reset();
    const std::optional<int> status = process.waitForExit();
    ASSERT_TRUE(status) << "the helper did not exit";
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << *status;
}

TEST(HelperProcess, GarbageEndsTheHelperWithAnError) {
    SpawnedHelper helper;
    const std::string garbage(64, '?');
    ASSERT_EQ(::write(helper.broker.fd(), garbage.data(), garbage.size()), ssize_t(garbage.size()));
    const std::optional<int> status = helper.process.waitForExit();
    ASSERT_TRUE(status) << "the helper hung on garbage";
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) != 0) << *status;
    EXPECT_NE(helper.process.readStderrLine(), "");
}

namespace {

std::string uniqueSocketPath(const char* name) {
    return "/tmp/socklens-test-" + std::to_string(::getpid()) + "-" + name + ".sock";
}

UniqueFd connectTo(const std::string& path) {
    UniqueFd socket(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    path.copy(address.sun_path, sizeof address.sun_path - 1);
    if (::connect(socket.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
        throw std::runtime_error("connect(" + path + ") failed");
    return socket;
}

} // namespace

TEST(HelperProcess, ListenModeServesABrokerThatConnects) {
    const std::string path = uniqueSocketPath("listen");
    Child helper({SOCKLENS_HELPER_PATH, "--listen", path});
    ASSERT_EQ(helper.readStdoutLine(), "socklens-helper: listening on " + path);

    BrokerSide broker(connectTo(path));
    EXPECT_EQ(broker.ask<HelloReply>(Hello{1}).pid, helper.pid());

    ::kill(helper.pid(), SIGTERM);
    const std::optional<int> status = helper.waitForExit();
    ASSERT_TRUE(status) << "the helper ignored SIGTERM";
    EXPECT_TRUE(WIFSIGNALED(*status) && WTERMSIG(*status) == SIGTERM) << *status;
    EXPECT_NE(::access(path.c_str(), F_OK), 0) << path << " was left behind";
}

TEST(HelperProcess, ListenModeRefusesAnotherUserAndKeepsListening) {
    if (::geteuid() != 0)
        GTEST_SKIP() << "needs root to connect as another user";
    const std::string path = uniqueSocketPath("refuse");
    Child helper({SOCKLENS_HELPER_PATH, "--listen", path});
    ASSERT_EQ(helper.readStdoutLine(), "socklens-helper: listening on " + path);
    ASSERT_EQ(::chmod(path.c_str(), 0777), 0);

    const pid_t stranger = ::fork();
    if (stranger == 0) {
        // As nobody: connect, then expect the helper to hang up on us.
        if (::setgid(65534) != 0 || ::setuid(65534) != 0)
            ::_exit(3);
        try {
            const UniqueFd socket = connectTo(path);
            char byte;
            pollfd waiter{socket.get(), POLLIN, 0};
            const bool hungUp =
                ::poll(&waiter, 1, kBoundMs) == 1 && ::read(socket.get(), &byte, 1) == 0;
            ::_exit(hungUp ? 0 : 4);
        } catch (const std::exception&) {
            ::_exit(5);
        }
    }
    int strangerStatus = 0;
    ASSERT_EQ(::waitpid(stranger, &strangerStatus, 0), stranger);
    EXPECT_TRUE(WIFEXITED(strangerStatus) && WEXITSTATUS(strangerStatus) == 0) << strangerStatus;
    EXPECT_NE(helper.readStderrLine().find("refused a connection from uid 65534"),
              std::string::npos);

    BrokerSide broker(connectTo(path));
    EXPECT_EQ(broker.ask<HelloReply>(Hello{1}).pid, helper.pid());
}

TEST(HelperProcess, CommandLine) {
    Child version({SOCKLENS_HELPER_PATH, "--version"});
    EXPECT_TRUE(version.readStdoutLine().starts_with("socklens-helper "));
    ASSERT_TRUE(version.waitForExit());
    EXPECT_EQ(WEXITSTATUS(*version.waitForExit()), 0);

    Child help({SOCKLENS_HELPER_PATH, "--help"});
    EXPECT_NE(help.readAllStdout().find("--channel-fd"), std::string::npos);
    ASSERT_TRUE(help.waitForExit());
    EXPECT_EQ(WEXITSTATUS(*help.waitForExit()), 0);

    Child wrong({SOCKLENS_HELPER_PATH, "--bogus"});
    EXPECT_TRUE(wrong.readStderrLine().starts_with("usage:"));
    ASSERT_TRUE(wrong.waitForExit());
    EXPECT_EQ(WEXITSTATUS(*wrong.waitForExit()), 2);

    Child badFd({SOCKLENS_HELPER_PATH, "--channel-fd", "x"});
    ASSERT_TRUE(badFd.waitForExit());
    EXPECT_EQ(WEXITSTATUS(*badFd.waitForExit()), 2);
}
