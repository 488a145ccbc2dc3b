// A report of a Winsock session names Wine and its version, in JSON and HTML.
#include "../integration/cli_runner.h"
#include "winsock_test.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

namespace socklens::wintest {
namespace {

using testing::cliTemporaryPath;
using testing::runCli;

std::string readAll(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(file), {});
}

class WinsockReport : public WinsockTest {};

TEST_F(WinsockReport, NamesWineAndItsVersion) {
    const std::string session = cliTemporaryPath("winsock.jsonl");
    const auto run = runCli("run builtin:handoff --backend winsock --quiet --session " + session);
    ASSERT_EQ(run.exitCode, 0) << run.output;
    const std::regex wine(R"(Wine \d+\.\d+)");

    const std::string json = cliTemporaryPath("winsock.json");
    ASSERT_EQ(runCli("report " + session + " -o " + json).exitCode, 0);
    const std::string version =
        nlohmann::json::parse(readAll(json)).at("platform").at("wine").get<std::string>();
    EXPECT_TRUE(std::regex_search(version, wine)) << version;

    const std::string html = cliTemporaryPath("winsock.html");
    ASSERT_EQ(runCli("report " + session + " -o " + html).exitCode, 0);
    const std::string text = readAll(html);
    EXPECT_NE(text.find("under " + version), std::string::npos) << "no Winsock row naming Wine";
    for (const std::string& path : {session, json, html})
        ::unlink(path.c_str());
}

} // namespace
} // namespace socklens::wintest
