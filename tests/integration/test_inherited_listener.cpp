// The built-in inherited-listener scenario on the Linux backend: a helper's child forked and
// exec'd with the listening socket left open across exec keeps the port listening after the
// helper is killed, and is named as its only holder.
#include "cli_runner.h"

#include <fstream>
#include <gtest/gtest.h>
#include <unistd.h>

namespace socklens::testing {
namespace {

TEST(InheritedListener, TheChildHoldsThePortAfterItsParentIsKilled) {
    const auto run = runCli("run builtin:inherited-listener --quiet");
    EXPECT_EQ(run.exitCode, 0) << run.output;
    EXPECT_NE(run.output.find("as expected: holders listener == \"c\" (observed c)"),
              std::string::npos)
        << run.output;
    EXPECT_NE(run.output.find("as expected: state listener == LISTEN"), std::string::npos)
        << run.output;
}

TEST(InheritedListener, AChildThatInheritsNothingHoldsNothing) {
    const std::string path = cliTemporaryPath("not-inheriting.scenario");
    {
        std::ofstream file(path);
        file << "spawn a\n"
                "create a tcp-listener as listener\n"
                "start-child a as c not-inheriting\n"
                "expect count listener == 1\n"
                "expect holders listener == \"a\"\n"
                "kill a\n"
                "expect closed listener\n";
    }
    const auto run = runCli("run " + path + " --quiet");
    EXPECT_EQ(run.exitCode, 0) << run.output;
    ::unlink(path.c_str());
}

} // namespace
} // namespace socklens::testing
