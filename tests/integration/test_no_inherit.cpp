// The no-inherit step on the Linux backend (issue 11.3): fcntl(F_SETFD, FD_CLOEXEC) on one of
// two listeners before a child is started inheriting; /proc shows the child holding only the
// other one.
#include "cli_runner.h"

#include <fstream>
#include <gtest/gtest.h>
#include <unistd.h>

namespace socklens::testing {
namespace {

TEST(NoInherit, AChildDoesNotGetADescriptorMadeCloseOnExec) {
    const std::string path = cliTemporaryPath("no-inherit.scenario");
    {
        std::ofstream file(path);
        file << "spawn a\n"
                "create a tcp-listener as kept\n"
                "create a tcp-listener as cleared\n"
                "no-inherit cleared\n"
                "start-child a as c inheriting for 10s\n"
                "wait count kept == 2 within 5s\n"
                "expect holders kept == \"a, c\"\n"
                "expect count cleared == 1\n"
                "expect holders cleared == \"a\"\n";
    }
    const auto run = runCli("run " + path + " --quiet");
    EXPECT_EQ(run.exitCode, 0) << run.output;
    ::unlink(path.c_str());
}

TEST(NoInherit, AnUnknownDescriptorIsRefusedByName) {
    const std::string path = cliTemporaryPath("no-inherit-unknown.scenario");
    {
        std::ofstream file(path);
        file << "spawn a\n"
                "no-inherit nothing\n";
    }
    const auto run = runCli("run " + path + " --quiet");
    EXPECT_NE(run.exitCode, 0);
    EXPECT_NE(run.output.find("nothing"), std::string::npos) << run.output;
    ::unlink(path.c_str());
}

} // namespace
} // namespace socklens::testing
