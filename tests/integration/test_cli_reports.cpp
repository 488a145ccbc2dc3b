// socklens-cli's reports: `report SESSION` in every format, `run --report` choosing the
// format by extension, damaged sessions reported as far as they are valid (exit 3), and HTML
// and PDF drawn by the renderer beside the CLI, which itself links no Qt.
#include "cli_runner.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>

namespace {

using socklens::testing::cliTemporaryPath;
using socklens::testing::runCli;
using socklens::testing::runCommand;

std::string readAll(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(file), {});
}

/// A session of the built-in handoff, recorded once for all tests here.
const std::string& recordedSession() {
    static const std::string path = [] {
        const std::string session = cliTemporaryPath("handoff.jsonl");
        const auto outcome = runCli("run builtin:handoff --quiet --session " + session);
        EXPECT_EQ(outcome.exitCode, 0) << outcome.output;
        return session;
    }();
    return path;
}

TEST(CliReports, ASessionRendersInEveryFormat) {
    for (const std::string format : {"json", "csv", "html", "pdf"}) {
        const std::string out = cliTemporaryPath("report." + format);
        const auto outcome = runCli("report " + recordedSession() + " -o " + out);
        ASSERT_EQ(outcome.exitCode, 0) << format << ": " << outcome.output;
        EXPECT_EQ(outcome.output, "report written to " + out + "\n");
        EXPECT_GT(readAll(out).size(), 1000u) << format;
        ::unlink(out.c_str());
    }
}

TEST(CliReports, TheJsonReportOfASessionNamesWhereItWasRecorded) {
    const std::string out = cliTemporaryPath("from-session.json");
    ASSERT_EQ(runCli("report " + recordedSession() + " --format json -o " + out).exitCode, 0);
    const nlohmann::json report = nlohmann::json::parse(readAll(out));
    EXPECT_EQ(report.at("format_version"), 1);
    EXPECT_NE(report.at("platform").at("kernel").get<std::string>().find("Linux"),
              std::string::npos);
    EXPECT_EQ(report.at("platform").at("wine"), "");
    EXPECT_EQ(report.at("claims").at("C5").at("status"), "demonstrated");
    ASSERT_FALSE(report.at("option_propagation").empty());
    EXPECT_TRUE(report.at("option_propagation").at(0).at("propagated").get<bool>());
    ::unlink(out.c_str());
}

TEST(CliReports, RunChoosesTheFormatFromTheExtension) {
    const std::string out = cliTemporaryPath("run.csv");
    const auto outcome = runCli("run builtin:handoff --quiet --report " + out);
    ASSERT_EQ(outcome.exitCode, 0) << outcome.output;
    EXPECT_EQ(readAll(out).rfind("seq,time_us,seconds,category,type,text,data\r\n", 0), 0u);
    ::unlink(out.c_str());

    const auto unknown = runCli("run builtin:handoff --report report.txt");
    EXPECT_EQ(unknown.exitCode, 2);
    EXPECT_NE(unknown.output.find("must end in .json, .html, .pdf or .csv"), std::string::npos)
        << unknown.output;
}

TEST(CliReports, ADamagedSessionIsReportedAsFarAsItIsValidWithExitThree) {
    std::string bytes = readAll(recordedSession());
    const std::size_t third = bytes.find('\n', bytes.find('\n', bytes.find('\n') + 1) + 1);
    bytes[third + 30] = char(bytes[third + 30] ^ 0x01); // in line 4, entry 3
    const std::string damaged = cliTemporaryPath("damaged.jsonl");
    std::ofstream(damaged, std::ios::binary) << bytes;
    const std::string out = cliTemporaryPath("damaged.json");
    const auto outcome = runCli("report " + damaged + " -o " + out);
    EXPECT_EQ(outcome.exitCode, 3);
    EXPECT_NE(outcome.output.find("line 4 (byte " + std::to_string(third + 1) +
                                  ") is damaged: its checksum does not match its content. It "
                                  "loaded the 2 entries before it."),
              std::string::npos)
        << outcome.output;
    EXPECT_EQ(nlohmann::json::parse(readAll(out)).at("journal_entries"), 2);
    ::unlink(damaged.c_str());
    ::unlink(out.c_str());
}

TEST(CliReports, TheRendererLeavesNoTemporaryFileAndTheCliLinksNoQt) {
    const std::string session = recordedSession(); // before TMPDIR changes: it runs helpers
    const std::filesystem::path temporary = cliTemporaryPath("tmpdir");
    std::filesystem::create_directories(temporary);
    const char* before = std::getenv("TMPDIR");
    const std::string kept = before ? before : "";
    ::setenv("TMPDIR", temporary.c_str(), 1);
    const std::string out = cliTemporaryPath("via-renderer.html");
    const auto outcome = runCli("report " + session + " -o " + out);
    before ? ::setenv("TMPDIR", kept.c_str(), 1) : ::unsetenv("TMPDIR");
    ASSERT_EQ(outcome.exitCode, 0) << outcome.output;
    EXPECT_NE(readAll(out).find("<html"), std::string::npos);
    for (const auto& left :
         std::filesystem::directory_iterator(temporary)) // Qt's runtime dir may stay
        EXPECT_FALSE(left.path().filename().string().starts_with("socklens-report-"))
            << left.path();
    std::filesystem::remove_all(temporary);
    ::unlink(out.c_str());

    const std::string libraries = runCommand("ldd " SOCKLENS_CLI_PATH).output;
    EXPECT_NE(libraries.find("libc.so"), std::string::npos) << libraries;
    EXPECT_EQ(libraries.find("libQt6"), std::string::npos) << libraries;
}

TEST(CliReports, AReportThatCannotBeWrittenSaysWhyInEveryFormat) {
    for (const std::string format : {"json", "html", "pdf"}) {
        const std::string out = "/nonexistent/dir/report." + format;
        const auto outcome = runCli("report " + recordedSession() + " -o " + out);
        EXPECT_EQ(outcome.exitCode, 3) << format;
        EXPECT_NE(outcome.output.find("cannot write"), std::string::npos) << outcome.output;
        EXPECT_NE(outcome.output.find(out), std::string::npos) << outcome.output;
        EXPECT_EQ(outcome.output.find("Unknown error"), std::string::npos) << outcome.output;
    }
}

TEST(CliReports, ACliWithoutItsRendererSaysSoAndStillWritesJson) {
    const std::filesystem::path alone = cliTemporaryPath("alone");
    std::filesystem::create_directories(alone);
    std::filesystem::copy_file(SOCKLENS_CLI_PATH, alone / "socklens-cli");
    const std::string cli = (alone / "socklens-cli").string() + " report " + recordedSession();
    const auto html = runCommand(cli + " -o " + (alone / "r.html").string());
    EXPECT_EQ(html.exitCode, 2);
    EXPECT_NE(html.output.find("socklens-report-renderer, which is not installed"),
              std::string::npos)
        << html.output;
    const auto json = runCommand(cli + " -o " + (alone / "r.json").string());
    EXPECT_EQ(json.exitCode, 0) << json.output;
    EXPECT_TRUE(std::filesystem::exists(alone / "r.json"));
    std::filesystem::remove_all(alone);
}

TEST(CliReports, BadReportArgumentsAreUsageErrors) {
    EXPECT_EQ(runCli("report").exitCode, 2);
    EXPECT_EQ(runCli("report x.jsonl").exitCode, 2);
    EXPECT_EQ(runCli("report x.jsonl -o x.jsonl --format json").exitCode, 2);
    EXPECT_EQ(runCli("report x.jsonl --format doc -o y.doc").exitCode, 2);
    const auto missing = runCli("report /nonexistent/x.jsonl -o /tmp/never.json");
    EXPECT_EQ(missing.exitCode, 3);
    EXPECT_NE(missing.output.find("cannot open the session file /nonexistent/x.jsonl"),
              std::string::npos)
        << missing.output;
}

} // namespace
