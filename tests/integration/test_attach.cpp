// Attaching read-only to real programs the tests start (issue 10): a forking server attached
// by tree and by port, a worker that outlives its server found by port, a socket passed over a
// Unix socket, a pid that is gone. What the session shows is checked against /proc.
#include "broker/broker.h"
#include "map_probe.h"
#include "os_probe.h"
#include "real_programs.h"

#include <fcntl.h>
#include <fstream>
#include <gtest/gtest.h>
#include <set>
#include <sys/socket.h>
#include <sys/wait.h>

using namespace socklens;
using namespace socklens::testing;

namespace {

constexpr std::chrono::seconds kBound{10};

broker::BrokerOptions testOptions() {
    broker::BrokerOptions options;
    options.helperPath = SOCKLENS_HELPER_PATH;
    return options;
}

/// The session's (pid, fd) holders of the socket with `inode`, among attached processes.
std::set<std::pair<long long, long long>> attachedHolders(const State& state, std::uint64_t inode) {
    std::set<std::pair<long long, long long>> holders;
    const std::optional<SocketId> socket = state.socketWithIdentity(inode);
    if (!socket)
        return holders;
    for (const DescriptorState* descriptor : state.descriptorsOf(*socket)) {
        const ProcessState* process = state.process(descriptor->ref.process);
        if (process->foreign && process->alive)
            holders.emplace(process->pid.value(), descriptor->ref.handle.value());
    }
    return holders;
}

/// Every (pid, fd) of `pids` naming `inode`, read from /proc by the test itself.
std::set<std::pair<long long, long long>> osHolders(const std::vector<long long>& pids,
                                                    std::uint64_t inode, long long fd) {
    std::set<std::pair<long long, long long>> holders;
    for (const long long pid : pids)
        if (fdsNaming(pid, inode) == 1)
            holders.emplace(pid, fd);
    return holders;
}

const DescriptorState* descriptorOf(const State& state, long long pid, long long fd) {
    const std::optional<ProcessId> process = state.processWithPid(OsPid(pid));
    return process ? state.descriptor(DescriptorRef{*process, Handle(fd)}) : nullptr;
}

/// The fds of `pid` the session shows for the socket with `inode`.
std::vector<long long> descriptorsIn(const State& state, long long pid, std::uint64_t inode) {
    std::vector<long long> fds;
    for (const DescriptorState* descriptor : state.descriptorsOf(*state.socketWithIdentity(inode)))
        if (state.process(descriptor->ref.process)->pid.value() == pid)
            fds.push_back(descriptor->ref.handle.value());
    return fds;
}

} // namespace

TEST(Attach, ATreeListsEveryHolderOfTheListenerAndFollowsANewWorker) {
    ForkedProcess server = forkingServer();
    const long long fd = server.read("fd");
    const std::uint64_t inode = std::uint64_t(server.read("inode"));
    std::vector<long long> pids{server.pid()};
    for (int i = 0; i < kWorkers; ++i)
        pids.push_back(server.read("worker"));

    broker::Broker broker{testOptions()};
    const std::vector<ProcessId> joined =
        broker.attach({broker::AttachTarget::Kind::Tree, std::uint64_t(server.pid())});
    EXPECT_EQ(joined.size(), pids.size());
    const State& state = broker.state();
    EXPECT_EQ(attachedHolders(state, inode), osHolders(pids, inode, fd));
    EXPECT_EQ(attachedHolders(state, inode).size(), pids.size());
    for (const ProcessId id : joined) {
        const ProcessState& process = *state.process(id);
        EXPECT_TRUE(process.foreign);
        EXPECT_FALSE(process.helper);
        EXPECT_EQ(process.attachedAs, "tree of pid " + std::to_string(server.pid()));
    }
    const SocketState& socket = *state.socket(*state.socketWithIdentity(inode));
    EXPECT_EQ(socket.kind, "TCP listener");
    EXPECT_EQ(socket.tcpState, "LISTEN");
    EXPECT_EQ(socket.count, int(pids.size())); // every holder, counted from /proc

    // What fdinfo and sock_diag give: no close-on-exec (socket() without SOCK_CLOEXEC),
    // blocking, and SO_RCVBUF from the kernel's socket memory info.
    const DescriptorState* held = descriptorOf(state, server.pid(), fd);
    ASSERT_TRUE(held && held->observed);
    EXPECT_FALSE(held->observed->closeOnExec);
    EXPECT_FALSE(held->observed->nonBlocking);
    EXPECT_TRUE(held->options.contains(SocketOption::RcvBuf));
    EXPECT_FALSE(held->options.contains(SocketOption::Linger)); // needs a deep read

    // A new child of the server joins at a later observation, inherited at fork.
    server.go();
    const long long newcomer = server.read("worker");
    ASSERT_TRUE(broker.waitUntil(
        [&](const State& now) {
            const DescriptorState* copy = descriptorOf(now, newcomer, fd);
            return copy && copy->open && !copy->provenance.empty();
        },
        kBound));
    EXPECT_EQ(fdsNaming(newcomer, inode), 1);
    EXPECT_EQ(descriptorOf(state, newcomer, fd)->provenance, "inherited at fork");
    EXPECT_NE(descriptorOf(state, newcomer, fd)
                  ->provenanceEvidence.find("child of pid " + std::to_string(server.pid())),
              std::string::npos);
}

TEST(Attach, APortListsEveryHolderAndNothingElse) {
    ForkedProcess server = forkingServer();
    const int port = int(server.read("port"));
    const long long fd = server.read("fd");
    const std::uint64_t inode = std::uint64_t(server.read("inode"));
    std::vector<long long> pids{server.pid()};
    for (int i = 0; i < kWorkers; ++i)
        pids.push_back(server.read("worker"));

    broker::Broker broker{testOptions()};
    broker.attach({broker::AttachTarget::Kind::Port, std::uint64_t(port)});
    EXPECT_EQ(attachedHolders(broker.state(), inode), osHolders(pids, inode, fd));
    EXPECT_EQ(attachedHolders(broker.state(), inode), ssListenerHolders(port));
}

TEST(Attach, AWorkerThatOutlivesItsServerIsFoundByPort) {
    ForkedProcess server = forkingServer();
    const int port = int(server.read("port"));
    const long long fd = server.read("fd");
    const std::uint64_t inode = std::uint64_t(server.read("inode"));
    std::vector<long long> workers;
    for (int i = 0; i < kWorkers; ++i)
        workers.push_back(server.read("worker"));
    server.killLeaderOnly();

    broker::Broker broker{testOptions()};
    broker.attach({broker::AttachTarget::Kind::Port, std::uint64_t(port)});
    const auto holders = attachedHolders(broker.state(), inode);
    EXPECT_EQ(holders, osHolders(workers, inode, fd));
    EXPECT_EQ(holders.size(), workers.size());
    EXPECT_FALSE(broker.state().processWithPid(OsPid(server.pid())).has_value());
}

TEST(Attach, ASocketPassedOverAUnixSocketIsReceived) {
    ForkedProcess sender("sl-sender", [](const ChildChannel& c) {
        int channel[2];
        ::socketpair(AF_UNIX, SOCK_STREAM, 0, channel);
        const pid_t receiver = ::fork();
        if (receiver == 0) {
            ::prctl(PR_SET_NAME, "sl-receiver");
            ::close(channel[0]);
            c.report("received", receiveFd(channel[1]));
            parkForever();
        }
        ::close(channel[1]);
        c.report("receiver", receiver);
        int passed[2]; // made after the fork: the receiver does not inherit it
        ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, passed);
        c.report("inode", static_cast<long long>(inodeOf(passed[0])));
        c.waitForGo();
        sendFd(channel[0], passed[0]);
    });
    const long long receiver = sender.read("receiver");
    const std::uint64_t inode = std::uint64_t(sender.read("inode"));

    broker::Broker broker{testOptions()};
    broker.attach({broker::AttachTarget::Kind::Tree, std::uint64_t(sender.pid())});
    ASSERT_TRUE(broker.state().socketWithIdentity(inode).has_value()); // seen in the sender
    sender.go();
    const long long fd = sender.read("received");
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(broker.waitUntil(
        [&](const State& now) {
            const DescriptorState* copy = descriptorOf(now, receiver, fd);
            return copy && copy->open && !copy->provenance.empty();
        },
        kBound));
    EXPECT_EQ(fdsNaming(receiver, inode), 1);
    const DescriptorState& copy = *descriptorOf(broker.state(), receiver, fd);
    EXPECT_EQ(copy.provenance, "received");
    // Close-on-exec belongs to the descriptor, not the socket: the sender made it with
    // SOCK_CLOEXEC, the receiver's recvmsg (without MSG_CMSG_CLOEXEC) made one without.
    EXPECT_FALSE(copy.observed->closeOnExec);
    EXPECT_FALSE(closeOnExecInFdinfo(receiver, fd));
    const long long sent = descriptorsIn(broker.state(), sender.pid(), inode).front();
    EXPECT_TRUE(descriptorOf(broker.state(), sender.pid(), sent)->observed->closeOnExec);
    EXPECT_TRUE(closeOnExecInFdinfo(sender.pid(), sent));
}

TEST(Attach, APidThatIsGoneFailsWithACodeAndTheBrokerGoesOn) {
    const pid_t gone = ::fork();
    if (gone == 0)
        ::_exit(0);
    ::waitpid(gone, nullptr, 0);

    broker::Broker broker{testOptions()};
    try {
        broker.attach({broker::AttachTarget::Kind::Pid, std::uint64_t(gone)});
        FAIL() << "attached to pid " << gone << ", which is gone";
    } catch (const broker::BrokerError& error) {
        // The kernel's own answer (C12), not one socklens makes up.
        EXPECT_EQ(error.codeName(), "ESRCH");
        EXPECT_NE(std::string(error.what()).find(std::to_string(gone)), std::string::npos);
    }
    const auto& failed = std::get<entry::CommandFailed>(broker.journal().entries().back().payload);
    EXPECT_EQ(failed.codeName, "ESRCH");
    EXPECT_EQ(failed.call, "pidfd_open");

    ForkedProcess alive("sl-alive", [](const ChildChannel& c) { c.report("up", 1); });
    alive.read("up");
    EXPECT_EQ(broker.attach({broker::AttachTarget::Kind::Pid, std::uint64_t(alive.pid())}).size(),
              1u);
}

TEST(Attach, AnotherUsersProcessJoinsWithWhatIsMissingAndWhy) {
    if (::geteuid() != 0)
        GTEST_SKIP() << "needs root: the test runs two processes as two other users (CI runs "
                        "as root)";
    // The target: a process of uid 1 (daemon) holding a socket.
    ForkedProcess target("sl-daemon", [](const ChildChannel& c) {
        int ends[2];
        ::socketpair(AF_UNIX, SOCK_STREAM, 0, ends);
        if (::setgid(1) != 0 || ::setuid(1) != 0)
            c.report("dropped", 0);
        c.report("dropped", 1);
    });
    ASSERT_EQ(target.read("dropped"), 1);
    // The observer: a session as uid 65534 (nobody), which may not read the target's fd table.
    const long long targetPid = target.pid();
    ForkedProcess observer("sl-nobody", [targetPid](const ChildChannel& c) {
        if (::setgid(65534) != 0 || ::setuid(65534) != 0) {
            c.report("dropped", 0);
            return;
        }
        c.report("dropped", 1);
        broker::Broker broker{testOptions()};
        const std::vector<ProcessId> joined =
            broker.attach({broker::AttachTarget::Kind::Pid, std::uint64_t(targetPid)});
        const ProcessState* process =
            joined.size() == 1 ? broker.state().process(joined.front()) : nullptr;
        c.report("joined", process && process->foreign && process->name == "sl-daemon");
        c.report("says-another-user",
                 process &&
                     process->limits.find("another user's process (uid 1)") != std::string::npos);
        c.report("descriptors", static_cast<long long>(broker.state().descriptors.size()));
    });
    ASSERT_EQ(observer.read("dropped"), 1);
    EXPECT_EQ(observer.read("joined"), 1);
    EXPECT_EQ(observer.read("says-another-user"), 1);
    EXPECT_EQ(observer.read("descriptors"), 0); // none guessed
    // Root (this test) reads what nobody could not: the target holds two socket descriptors.
    broker::Broker root{testOptions()};
    root.attach({broker::AttachTarget::Kind::Pid, std::uint64_t(targetPid)});
    ASSERT_EQ(root.state().descriptors.size(), 2u);
    for (const auto& [ref, descriptor] : root.state().descriptors) // the OS agrees
        EXPECT_EQ(fdsNaming(targetPid, root.state().socket(descriptor.socket)->identity), 1);
}

TEST(Attach, ADeepReadReadsEveryOptionAndTheOwnerThroughACopyNeverCounted) {
    ForkedProcess process("sl-options", [](const ChildChannel& c) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        const int on = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
        f_owner_ex owner{F_OWNER_PID, ::getpid()};
        ::fcntl(fd, F_SETOWN_EX, &owner);
        c.report("fd", fd);
    });
    const long long fd = process.read("fd");
    broker::Broker broker{testOptions()};
    const ProcessId id =
        broker.attach({broker::AttachTarget::Kind::Pid, std::uint64_t(process.pid())}).front();
    const DescriptorRef ref{id, Handle(fd)};
    ASSERT_FALSE(broker.state().descriptor(ref)->options.contains(SocketOption::KeepAlive));

    broker.deepRead(id);
    const DescriptorState& read = *broker.state().descriptor(ref);
    ASSERT_TRUE(read.options.contains(SocketOption::KeepAlive));
    EXPECT_EQ(read.options.at(SocketOption::KeepAlive).value, 1); // as the process set it
    const SocketState& socket = *broker.state().socket(read.socket);
    EXPECT_EQ(socket.registration.ownerPid.value(), process.pid()); // F_GETOWN_EX
    broker.observeAll();
    EXPECT_EQ(socket.count, 1); // the copy was socklens's own and is closed
    EXPECT_EQ(fdsNaming(::getpid(), socket.identity), 0);
}

TEST(Attach, ADescriptorCopiedOutOfAnAttachedProcessIntoAHelperIsTheSameSocket) {
    ForkedProcess holder("sl-holder", [](const ChildChannel& c) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        c.report("port", listenOnLoopback(fd));
        c.report("fd", fd);
        c.report("inode", socketInode(fd));
    });
    holder.read("port");
    const long long fd = holder.read("fd");
    const std::uint64_t inode = std::uint64_t(holder.read("inode"));
    broker::Broker broker{testOptions()};
    const ProcessId attached =
        broker.attach({broker::AttachTarget::Kind::Pid, std::uint64_t(holder.pid())}).front();
    const ProcessId helper = broker.spawnHelper("H");

    const DescriptorRef copy = broker.duplicate({attached, Handle(fd)}, helper);
    const std::int64_t helperPid = broker.state().process(helper)->pid.value();
    EXPECT_EQ(fdsNaming(helperPid, inode), 1); // the OS: the helper holds the same socket
    EXPECT_EQ(fdsNaming(holder.pid(), inode), 1);
    EXPECT_EQ(fdsNaming(::getpid(), inode), 0); // the broker's copy is closed
    broker.observeAll();
    const SocketState& socket = *broker.state().socket(broker.state().descriptor(copy)->socket);
    EXPECT_EQ(socket.identity, inode);
    EXPECT_EQ(socket.count, 2);
    const DuplicationState& duplication = broker.state().duplications.rbegin()->second;
    ASSERT_GE(duplication.steps.size(), 5u);
    EXPECT_NE(duplication.steps[4].text.find("pidfd_getfd"), std::string::npos);
    // Normal helper commands work on the copy; the attached process sees the effect.
    EXPECT_GE(broker.setOption(copy, SocketOption::KeepAlive, 1), 1);
    broker.deepRead(attached);
    EXPECT_EQ(broker.state()
                  .descriptor({attached, Handle(fd)})
                  ->options.at(SocketOption::KeepAlive)
                  .value,
              1);
    // Nothing is closed in an attached process: a hand-off out of it is refused.
    EXPECT_THROW(broker.close({attached, Handle(fd)}), broker::BrokerError);
    try {
        broker.handOff({attached, Handle(fd)}, helper);
        ADD_FAILURE() << "handed off out of an attached process";
    } catch (const broker::BrokerError& error) {
        EXPECT_EQ(error.codeName(), "read-only");
    }
    EXPECT_EQ(fdsNaming(holder.pid(), inode), 1);
}
