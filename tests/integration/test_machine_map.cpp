// `socklens-cli map` over real processes the tests start (forked from the test): a forking
// server, close-on-exec, epoll registrations in two processes, another user's process, and
// the holders of many sockets against ss -p.
#include "forked_process.h"
#include "map_probe.h"
#include "os_probe.h"
#include "real_programs.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>

using namespace socklens::testing;

TEST(MachineMap, AForkingServersWorkersAreAllHoldersOfItsListenerAsSsSays) {
    ForkedProcess server = forkingServer();
    const int port = int(server.read("port"));
    const long long fd = server.read("fd");
    const std::uint64_t inode = std::uint64_t(server.read("inode"));
    std::set<PidFd> expected{{server.pid(), fd}};
    for (int i = 0; i < kWorkers; ++i)
        expected.emplace(server.read("worker"), fd);

    const nlohmann::json map = mapJson("--port " + std::to_string(port));
    ASSERT_EQ(map["sockets"].size(), 1u) << map.dump(2);
    const nlohmann::json& socket = map["sockets"][0];
    EXPECT_EQ(socket["inode"], inode);
    EXPECT_EQ(socket["kind"], "tcp");
    EXPECT_EQ(socket["state"], "LISTEN");
    EXPECT_EQ(socket["local"], "127.0.0.1:" + std::to_string(port));
    EXPECT_EQ(socket["count"], kWorkers + 1);
    EXPECT_EQ(holdersIn(socket), expected);
    EXPECT_EQ(holdersIn(socket), ssListenerHolders(port)); // the same as ss -tlnp
    for (const nlohmann::json& holder : socket["holders"]) {
        EXPECT_EQ(holder["command"], holder["pid"] == server.pid() ? "sl-server" : "sl-worker");
        EXPECT_EQ(fdsNaming(holder["pid"].get<long long>(), inode), 1); // the OS agrees
    }

    // --tree from the server finds the same socket; the workers are its descendants.
    const nlohmann::json tree = mapJson("--tree " + std::to_string(server.pid()));
    ASSERT_FALSE(socketIn(tree, inode).is_null());
    EXPECT_EQ(holdersIn(socketIn(tree, inode)), expected);
}

TEST(MachineMap, WorkersThatOutliveTheirServerStillHoldThePortAndAreFoundByIt) {
    ForkedProcess server = forkingServer();
    const int port = int(server.read("port"));
    const long long fd = server.read("fd");
    std::set<PidFd> workers;
    for (int i = 0; i < kWorkers; ++i)
        workers.emplace(server.read("worker"), fd);
    server.killLeaderOnly(); // the parent is gone; its children keep the port bound

    const nlohmann::json map = mapJson("--port " + std::to_string(port));
    ASSERT_EQ(map["sockets"].size(), 1u) << map.dump(2);
    EXPECT_EQ(map["sockets"][0]["state"], "LISTEN");
    EXPECT_EQ(holdersIn(map["sockets"][0]), workers);
    EXPECT_EQ(ssListenerHolders(port), workers);
    for (const nlohmann::json& holder : map["sockets"][0]["holders"])
        EXPECT_NE(holder["ppid"], server.pid()); // orphans, adopted by another process
}

TEST(MachineMap, CloseOnExecIsShownPerDescriptor) {
    ForkedProcess process("sl-cloexec", [](const ChildChannel& channel) {
        int ends[2];
        ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends);
        ::fcntl(ends[1], F_SETFD, 0); // inherited by whatever this process executes
        channel.report("kept", ends[0]);
        channel.report("inherited", ends[1]);
    });
    const long long kept = process.read("kept");
    const long long inherited = process.read("inherited");

    const nlohmann::json map = mapJson("--pid " + std::to_string(process.pid()));
    std::map<long long, bool> cloexec;
    for (const nlohmann::json& socket : map["sockets"])
        for (const nlohmann::json& holder : socket["holders"])
            if (holder["pid"] == process.pid())
                cloexec[holder["fd"].get<long long>()] = holder["cloexec"].get<bool>();
    EXPECT_EQ(cloexec, (std::map<long long, bool>{{kept, true}, {inherited, false}}));
}

TEST(MachineMap, EpollInterestForReadInOneProcessAndForWriteInAnother) {
    ForkedProcess reader("sl-epoll-rd", [](const ChildChannel& channel) {
        int ends[2];
        ::socketpair(AF_UNIX, SOCK_STREAM, 0, ends);
        channel.report("inode", inodeOf(ends[0]));
        channel.report("fd", ends[0]);
        const pid_t writer = ::fork(); // inherits the socket, not the reader's epoll
        if (writer == 0) {
            ::prctl(PR_SET_NAME, "sl-epoll-wr");
            const int epoll = ::epoll_create1(0);
            epoll_event event{};
            event.events = EPOLLOUT;
            ::epoll_ctl(epoll, EPOLL_CTL_ADD, ends[0], &event);
            channel.report("writer-epoll", epoll);
            parkForever();
        }
        channel.report("writer", writer);
        const int epoll = ::epoll_create1(0);
        epoll_event event{};
        event.events = EPOLLIN;
        ::epoll_ctl(epoll, EPOLL_CTL_ADD, ends[0], &event);
        channel.report("reader-epoll", epoll);
    });
    const std::uint64_t inode = std::uint64_t(reader.read("inode"));
    const long long fd = reader.read("fd");
    const long long writer = reader.read("writer");
    const long long writerEpoll = reader.read("writer-epoll");
    const long long readerEpoll = reader.read("reader-epoll");

    const nlohmann::json socket = socketIn(mapJson("--inode " + std::to_string(inode)), inode);
    ASSERT_FALSE(socket.is_null());
    std::map<long long, nlohmann::json> byPid;
    for (const nlohmann::json& registration : socket["epoll"])
        byPid[registration["pid"].get<long long>()] = registration;
    ASSERT_EQ(byPid.size(), 2u) << socket.dump(2);
    const nlohmann::json& read = byPid[reader.pid()];
    const nlohmann::json& write = byPid[writer];
    EXPECT_EQ(read["epoll_fd"], readerEpoll);
    EXPECT_EQ(read["fd"], fd);
    EXPECT_TRUE(read["read"]);
    EXPECT_FALSE(read["write"]);
    EXPECT_EQ(write["epoll_fd"], writerEpoll);
    EXPECT_FALSE(write["read"]);
    EXPECT_TRUE(write["write"]);
}

TEST(MachineMap, HolderSetsEqualSsForEveryInodeOfManyProcesses) {
    constexpr int kParents = 4, kPairs = 6;
    std::vector<std::unique_ptr<ForkedProcess>> parents;
    for (int p = 0; p < kParents; ++p)
        parents.push_back(std::make_unique<ForkedProcess>("sl-pairs", [](const ChildChannel& c) {
            for (int i = 0; i < kPairs; ++i) {
                int ends[2];
                ::socketpair(AF_UNIX, SOCK_STREAM, 0, ends);
                c.report("inode", inodeOf(ends[0]));
                c.report("inode", inodeOf(ends[1]));
            }
            if (::fork() == 0) // a child inherits every pair
                parkForever();
            c.report("forked", 1);
        }));
    std::set<std::uint64_t> inodes;
    for (auto& parent : parents) {
        for (int i = 0; i < 2 * kPairs; ++i)
            inodes.insert(std::uint64_t(parent->read("inode")));
        parent->read("forked");
    }

    const nlohmann::json map = mapJson("--shared");
    const auto ss = ssUnixHolders();
    for (const std::uint64_t inode : inodes) {
        const nlohmann::json socket = socketIn(map, inode);
        ASSERT_FALSE(socket.is_null()) << "socket " << inode << " missing from map --shared";
        ASSERT_TRUE(ss.contains(inode)) << "ss -xap does not list " << inode;
        EXPECT_EQ(holdersIn(socket), ss.at(inode)) << "socket " << inode;
        EXPECT_EQ(socket["processes"], 2);
    }
}

TEST(MachineMap, AnotherUsersProcessIsReadByRootAndListedWithWhyByThem) {
    if (::geteuid() != 0)
        GTEST_SKIP() << "needs root: the test runs a process as user nobody (CI runs as root)";
    ForkedProcess nobody("sl-nobody", [](const ChildChannel& channel) {
        if (::setgid(65534) != 0 || ::setuid(65534) != 0)
            return channel.report("setuid-failed", 1);
        int ends[2];
        ::socketpair(AF_UNIX, SOCK_STREAM, 0, ends);
        channel.report("inode", inodeOf(ends[0]));
        channel.report("fd", ends[0]);
    });
    const std::uint64_t theirs = std::uint64_t(nobody.read("inode"));
    const long long theirFd = nobody.read("fd");
    EXPECT_EQ(holdersIn(socketIn(mapJson("--inode " + std::to_string(theirs)), theirs)),
              (std::set<PidFd>{{nobody.pid(), theirFd}}));

    // The other way round: socklens-cli run as nobody, the socket held by root (this test).
    int mine[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, mine), 0);
    const std::uint64_t inode = inodeOf(mine[0]);
    const std::string path = cliTemporaryPath("nobody-map.json");
    ::unlink(path.c_str());
    const int output = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    ASSERT_GE(output, 0);
    ::fchown(output, 65534, 65534);
    const pid_t cli = ::fork();
    if (cli == 0) {
        if (::setgid(65534) == 0 && ::setuid(65534) == 0)
            ::execl(SOCKLENS_CLI_PATH, SOCKLENS_CLI_PATH, "map", "--inode",
                    std::to_string(inode).c_str(), "--json", path.c_str(), nullptr);
        ::_exit(127);
    }
    int status = 0;
    ::waitpid(cli, &status, 0);
    ::close(output);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
    std::ifstream file(path);
    const nlohmann::json map = nlohmann::json::parse(file);
    ::unlink(path.c_str());
    const nlohmann::json socket = socketIn(map, inode);
    ASSERT_FALSE(socket.is_null()) << "sock_diag still lists another user's socket";
    EXPECT_EQ(socket["kind"], "unix-stream");
    EXPECT_EQ(socket["count"], 0); // its holder could not be read...
    bool listed = false;           // ...and says why
    for (const nlohmann::json& process : map["unreadable"])
        if (process["pid"] == ::getpid()) {
            listed = true;
            EXPECT_NE(process["why"].get<std::string>().find("another user's process"),
                      std::string::npos)
                << process["why"];
        }
    EXPECT_TRUE(listed) << "this test's process is not among the unreadable ones";
    EXPECT_EQ(fdsNaming(::getpid(), inode), 1);
    ::close(mine[0]);
    ::close(mine[1]);
}

TEST(MachineMap, BadUsageExitsTwoWithASentence) {
    const CliOutcome outcome = runCli("map --port 70000");
    EXPECT_EQ(outcome.exitCode, 2);
    EXPECT_NE(outcome.output.find("--port needs a whole number from 1 to 65535"), std::string::npos)
        << outcome.output;
    EXPECT_EQ(runCli("map --frobnicate").exitCode, 2);
    EXPECT_EQ(runCli("watch --interval-ms fast").exitCode, 2);
}
