// How the broker starts its helpers (posix_spawn, no fork): only the descriptors it hands
// over are inherited, a program that cannot be executed is an error at once, and a helper
// dies with the process that started it, or does not start when that one is already gone.
#include "broker/broker_error.h"
#include "broker/child_process.h"

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace socklens::broker {
namespace {

using namespace std::chrono_literals;

constexpr auto kBound = 5000ms;

TEST(ChildProcess, AProgramThatCannotRunIsAnErrorAtOnce) {
    try {
        startChild({"/nonexistent/socklens-helper", {"socklens-helper"}, {}, {}});
        FAIL() << "started";
    } catch (const BrokerError& error) {
        EXPECT_EQ(std::string(error.what()),
                  "cannot start /nonexistent/socklens-helper: No such file or directory");
    }
}

TEST(ChildProcess, OnlyTheHandedOverDescriptorsAreInherited) {
    const int handed = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    const int same = ::open("/dev/null", O_RDONLY | O_CLOEXEC); // handed over as itself
    const int kept = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(kept, 0);
    const std::string script = "test -e /proc/self/fd/7 && test -e /proc/self/fd/" +
                               std::to_string(same) + " && ! test -e /proc/self/fd/" +
                               std::to_string(kept);
    const OsPid child =
        startChild({"/bin/sh", {"sh", "-c", script}, {{handed, 7}, {same, same}}, {}});
    EXPECT_EQ(reapChild(child, kBound), "exited with status 0");
    for (const int fd : {handed, same, kept})
        ::close(fd);
}

TEST(ChildProcess, AHelperWhoseBrokerIsGoneDoesNotStart) {
    int channel[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, channel), 0);
    // Pid 1 is not our pid: as if the broker had died and the helper been reparented.
    const OsPid child = startChild({SOCKLENS_HELPER_PATH,
                                    {SOCKLENS_HELPER_PATH, "--channel-fd", "3"},
                                    {{channel[1], 3}},
                                    {std::string(kBrokerPidVariable) + "=1"}});
    EXPECT_EQ(reapChild(child, kBound), "exited with status 1");
    ::close(channel[0]);
    ::close(channel[1]);
}

/// Whether `pid` has ended (gone, or a zombie waiting for its new parent).
bool ended(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    std::getline(stat, text);
    const auto state = text.rfind(") ");
    return !stat || state == std::string::npos || text[state + 2] == 'Z';
}

TEST(ChildProcess, AHelperDiesWithTheProcessThatStartedIt) {
    int channel[2];
    int report[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, channel), 0);
    ASSERT_EQ(::pipe2(report, O_CLOEXEC), 0);
    // A stand-in broker: a shell that starts the helper as the broker would, says its pid,
    // and waits. The helper's channel stays open on our side, so only its parent's death
    // can end it.
    const std::string script = std::string(kBrokerPidVariable) + "=$$ \"$0\" --channel-fd 3 & " +
                               "echo $! >&4; exec sleep 60";
    const OsPid broker = startChild({"/bin/sh",
                                     {"sh", "-c", script, SOCKLENS_HELPER_PATH},
                                     {{channel[1], 3}, {report[1], 4}},
                                     {}});
    ::close(report[1]);
    char text[32] = {};
    ASSERT_GT(::read(report[0], text, sizeof text - 1), 0);
    const pid_t helper = std::stoi(text);
    EXPECT_FALSE(ended(helper)); // serving: its channel is open and silent
    // A pidfd becomes readable when the helper ends, whoever its parent is by then.
    const int pidfd = int(::syscall(SYS_pidfd_open, helper, 0));
    ASSERT_GE(pidfd, 0);
    ::kill(pid_t(broker.value()), SIGKILL);
    EXPECT_EQ(reapChild(broker, kBound), "killed by signal 9 (SIGKILL)");
    pollfd gone{pidfd, POLLIN, 0};
    EXPECT_EQ(::poll(&gone, 1, int(kBound.count())), 1)
        << "helper " << helper << " outlived the process that started it";
    ::close(pidfd);
    ::close(channel[0]);
    ::close(channel[1]);
    ::close(report[0]);
}

} // namespace
} // namespace socklens::broker
