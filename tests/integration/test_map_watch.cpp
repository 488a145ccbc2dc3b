// `socklens-cli watch` over real processes: a socket passed over a Unix socket (SCM_RIGHTS)
// is reported as received, a child's copy as inherited at fork; the session it records is
// rendered by `socklens-cli report`.
#include "forked_process.h"
#include "map_probe.h"
#include "os_probe.h"
#include "real_programs.h"

#include <arpa/inet.h>
#include <cstring>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

using namespace socklens::testing;

namespace {

/// socklens-cli running in the background; its output read line by line.
class RunningCli {
public:
    explicit RunningCli(const std::string& arguments)
        : pipe_(
              ::popen((std::string(SOCKLENS_CLI_PATH) + " " + arguments + " 2>&1").c_str(), "r")) {}
    ~RunningCli() {
        if (pipe_)
            ::pclose(pipe_);
    }
    /// The next line; "" at the end (the command runs for a bounded --duration-ms).
    std::string line() {
        char buffer[4096];
        return std::fgets(buffer, sizeof buffer, pipe_) ? std::string(buffer) : std::string();
    }
    /// Everything until it ends, and its exit code.
    std::pair<std::string, int> finish() {
        std::string rest;
        for (std::string next = line(); !next.empty(); next = line())
            rest += next;
        const int status = ::pclose(std::exchange(pipe_, nullptr));
        return {rest, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
    }

private:
    FILE* pipe_;
};

} // namespace

TEST(MapWatch, ASocketPassedOverAUnixSocketIsReceivedAndAChildsCopyInherited) {
    int channel[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, channel), 0);
    ForkedProcess sender("sl-sender", [&](const ChildChannel& c) {
        ::close(channel[1]);
        const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address);
        ::listen(listener, 4);
        c.report("inode", inodeOf(listener));
        c.waitForGo();
        sendFd(channel[0], listener);
    });
    ForkedProcess receiver("sl-receiver", [&](const ChildChannel& c) {
        ::close(channel[0]);
        const int fd = receiveFd(channel[1]);
        c.report("fd", fd);
        c.waitForGo();
        const pid_t child = ::fork(); // inherits the received socket with the same number
        if (child == 0)
            for (;;)
                ::pause();
        c.report("child", child);
    });
    ::close(channel[0]);
    ::close(channel[1]);
    const std::uint64_t inode = std::uint64_t(sender.read("inode"));
    const std::string session = cliTemporaryPath("watch.session");

    RunningCli watch("watch --inode " + std::to_string(inode) +
                     " --interval-ms 100 --duration-ms 2500 --session " + session);
    const std::string first = watch.line();
    ASSERT_NE(first.find("watching 1 socket(s)"), std::string::npos) << first;
    sender.go();
    const long long fd = receiver.read("fd");
    ASSERT_GE(fd, 0);
    receiver.go();
    const long long child = receiver.read("child");
    const auto [output, exitCode] = watch.finish();
    EXPECT_EQ(exitCode, 0) << output;

    // What the OS says, independently of socklens: both hold the socket as fd `fd`.
    EXPECT_EQ(fdsNaming(receiver.pid(), inode), 1);
    EXPECT_EQ(fdsNaming(child, inode), 1);
    const std::string socket = " holds socket " + std::to_string(inode) + " ";
    const std::string received =
        "sl-receiver[" + std::to_string(receiver.pid()) + "] fd " + std::to_string(fd) + socket;
    const std::string inherited =
        "sl-receiver[" + std::to_string(child) + "] fd " + std::to_string(fd) + socket;
    const auto receivedLine = output.find(received);
    const auto inheritedLine = output.find(inherited);
    ASSERT_NE(receivedLine, std::string::npos) << output;
    ASSERT_NE(inheritedLine, std::string::npos) << output;
    EXPECT_EQ(output.compare(receivedLine + received.size(), 11, "(tcp LISTEN"), 0) << output;
    EXPECT_NE(output.find("): received (", receivedLine), std::string::npos) << output;
    EXPECT_NE(output.find("): inherited at fork (pid " + std::to_string(child), inheritedLine),
              std::string::npos)
        << output;

    // The recorded session is an ordinary one: report renders it, the provenance in it.
    const std::string report = cliTemporaryPath("watch-report.json");
    const CliOutcome rendered = runCli("report " + session + " -o " + report);
    EXPECT_EQ(rendered.exitCode, 0) << rendered.output;
    const std::string recorded = commandOutput("cat " + session);
    EXPECT_NE(recorded.find("\"evidence\":\"pid " + std::to_string(receiver.pid())),
              std::string::npos)
        << recorded;
    EXPECT_NE(recorded.find("\"provenance\":\"received\""), std::string::npos) << recorded;
    ::unlink(session.c_str());
    ::unlink(report.c_str());
}

TEST(MapWatch, AHolderThatExitsIsLostAndTheSocketGoneWhenTheKernelDropsIt) {
    ForkedProcess holder("sl-holder", [](const ChildChannel& c) {
        int ends[2];
        ::socketpair(AF_UNIX, SOCK_DGRAM, 0, ends);
        c.report("inode", inodeOf(ends[0]));
        c.report("fd", ends[0]);
    });
    const std::uint64_t inode = std::uint64_t(holder.read("inode"));
    const long long fd = holder.read("fd");
    RunningCli watch("watch --inode " + std::to_string(inode) +
                     " --interval-ms 100 --duration-ms 1500");
    ASSERT_NE(watch.line().find("watching 1 socket(s)"), std::string::npos);
    holder.killLeaderOnly();
    const auto [output, exitCode] = watch.finish();
    EXPECT_EQ(exitCode, 0);
    EXPECT_NE(output.find("- sl-holder[" + std::to_string(holder.pid()) + "] fd " +
                          std::to_string(fd) + " no longer holds socket " + std::to_string(inode)),
              std::string::npos)
        << output;
    EXPECT_NE(output.find("- socket " + std::to_string(inode) + " (unix-dgram"), std::string::npos)
        << output;
}
