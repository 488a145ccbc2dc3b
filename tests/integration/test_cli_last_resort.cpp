// socklens-cli's last resort: an exception that is not one of the project's own becomes a
// sentence and exit code 3, never an abort.
#include "cli/cli.h"
#include "cli_runner.h"

#include <gtest/gtest.h>
#include <sstream>
#include <stdexcept>

namespace {

TEST(CliLastResort, AnUnexpectedExceptionIsASentenceAndExitCodeThree) {
    const std::string session = socklens::testing::cliTemporaryPath("last-resort.jsonl");
    const auto recorded =
        socklens::testing::runCli("run builtin:handoff --quiet --session " + session);
    ASSERT_EQ(recorded.exitCode, 0) << recorded.output;

    // An HTML writer that fails with a plain std::exception, as a bug would.
    const socklens::cli::ReportWriter broken = [](auto, const auto&, const std::string&) {
        throw std::logic_error("the writer broke");
    };
    std::ostringstream out;
    std::ostringstream err;
    const int code = socklens::cli::runCli(
        {"report", session, "-o", socklens::testing::cliTemporaryPath("r.html")}, out, err, broken);
    EXPECT_EQ(code, 3);
    EXPECT_EQ(err.str(), "socklens-cli: stopped by an unexpected error: the writer broke\n");
}

} // namespace
