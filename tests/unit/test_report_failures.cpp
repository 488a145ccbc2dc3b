// Failures reach every report, not only the CSV: failed commands (with the OS call when one
// failed), problems and helpers that ended, in journal order.
#include "model/journal.h"
#include "model/state.h"
#include "report/failures.h"
#include "report/json_report.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace socklens::report {
namespace {

const ProcessId kHelper(1);
const ProcessId kOutsider(2);

Journal sessionWithFailures() {
    Journal journal;
    journal.append(entry::ProcessStarted{kHelper, OsPid(100), "a", Platform::Linux, true, {}});
    journal.append(entry::ProcessStarted{kOutsider, OsPid(200), "cat", Platform::Linux, false, {}});
    journal.append(entry::CommandIssued{"set a:7 SO_RCVBUF 4096"});
    journal.append(entry::CommandFailed{"set a:7 SO_RCVBUF 4096", "fstat", "EBADF",
                                        "fstat failed: Bad file descriptor (EBADF)"});
    journal.append(
        entry::CommandFailed{"drop b:5 onto cat", "", "read-only", "cat is attached read-only"});
    journal.append(entry::Problem{"a sent a bad frame"});
    journal.append(entry::ProcessExited{kOutsider, "no longer running"}); // not news
    journal.append(entry::ProcessExited{kHelper, "killed by signal 9 (SIGKILL)"});
    return journal;
}

TEST(ReportFailures, CommandsProblemsAndHelperDeathsInJournalOrder) {
    const Journal journal = sessionWithFailures();
    const std::vector<Failure> failures = failuresOf(journal.entries());
    ASSERT_EQ(failures.size(), 4u);
    EXPECT_EQ(failures[0].kind, "command");
    EXPECT_EQ(failures[0].call, "fstat");
    EXPECT_EQ(failures[0].code, "EBADF");
    EXPECT_EQ(failures[1].call, "") << "a refusal by socklens names no OS call";
    EXPECT_EQ(failures[1].code, "read-only");
    EXPECT_EQ(failures[2].kind, "problem");
    EXPECT_EQ(failures[3].kind, "helper ended");
    EXPECT_EQ(failures[3].what, "a");
    EXPECT_EQ(failures[3].sentence, "killed by signal 9 (SIGKILL)");
    EXPECT_LT(failures[0].at, failures[3].at);
}

TEST(ReportFailures, TheJsonReportListsThem) {
    const Journal journal = sessionWithFailures();
    const State state = fold(journal.entries());
    const nlohmann::json report = buildJsonReport(ReportInput{journal.entries(), state, {}, 0});
    const nlohmann::json& failures = report.at("failures");
    ASSERT_EQ(failures.size(), 4u);
    EXPECT_EQ(failures[0].at("code"), "EBADF");
    EXPECT_EQ(failures[0].at("what"), "set a:7 SO_RCVBUF 4096");
    EXPECT_EQ(failures[3].at("kind"), "helper ended");
    EXPECT_EQ(buildJsonReport(ReportInput{{}, State{}, {}, 0}).at("failures").size(), 0u);
}

} // namespace
} // namespace socklens::report
