// A scenario file from anywhere: what is not a regular file is refused by name without being
// read, size and line length are bounded, an error quotes only a short excerpt, numbers out
// of range get one sentence wherever they stand, and a byte-order mark or CRLF ends are read.
#include "scenario/scenario.h"

#include <chrono>
#include <fstream>
#include <gtest/gtest.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace socklens::scenario {
namespace {

using namespace std::chrono_literals;

/// The message of the ScenarioError that `load` raises ("" and a failure if none).
template <class Load> std::string errorOf(Load load) {
    try {
        load();
    } catch (const ScenarioError& error) {
        return error.what();
    }
    ADD_FAILURE() << "accepted";
    return "";
}

std::string parseError(const std::string& text) {
    return errorOf([&] { parseScenario(text, "test", "test.scenario"); });
}

std::string loadError(const std::string& path) {
    return errorOf([&] { loadScenario(path); });
}

/// A file in the test's temporary directory, removed at the end of the test.
class TemporaryPath {
public:
    explicit TemporaryPath(const std::string& name)
        : path_(::testing::TempDir() + "socklens-scenario-" + std::to_string(::getpid()) + "-" +
                name) {}
    ~TemporaryPath() { std::remove(path_.c_str()); }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

TEST(ScenarioFileLimits, ADeviceIsRefusedAtOnceNamingTheLimit) {
    const auto start = std::chrono::steady_clock::now();
    const std::string message = loadError("/dev/zero");
    EXPECT_EQ(message, "/dev/zero is a device, not a scenario file (a regular file of at most "
                       "1 MiB)");
    // Nothing was read: reading /dev/zero up to the limit alone would take longer.
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

TEST(ScenarioFileLimits, ADirectoryIsRefusedByName) {
    const std::string directory = ::testing::TempDir();
    EXPECT_NE(loadError(directory).find(" is a directory, not a scenario file"), std::string::npos);
}

TEST(ScenarioFileLimits, AFifoIsRefusedByNameWithoutOpeningIt) {
    const TemporaryPath fifo("fifo");
    ASSERT_EQ(::mkfifo(fifo.path().c_str(), 0600), 0);
    // Opening a FIFO with no writer would block; the refusal comes first.
    EXPECT_EQ(loadError(fifo.path()),
              fifo.path() + " is a FIFO (named pipe), not a scenario file (a regular file of at "
                            "most 1 MiB)");
}

TEST(ScenarioFileLimits, AFileLargerThanTheLimitIsRefusedBeforeReading) {
    const TemporaryPath large("large.scenario");
    {
        std::ofstream file(large.path(), std::ios::binary);
        file << "spawn a\n" << std::string(kMaxScenarioBytes, '#');
    }
    EXPECT_EQ(loadError(large.path()), large.path() + " is " +
                                           std::to_string(kMaxScenarioBytes + 8) +
                                           " bytes, larger than a scenario file may be (1 MiB)");
    // The same limit holds for text handed over directly.
    EXPECT_NE(parseError(std::string(kMaxScenarioBytes + 1, ' '))
                  .find("larger than a scenario may be (1 MiB)"),
              std::string::npos);
}

TEST(ScenarioFileLimits, ALongLineIsRefusedQuotingOnlyItsStart) {
    const std::string line(1000 * 1000, 'x');
    const std::string message = parseError("spawn a\n" + line + "\n");
    EXPECT_EQ(message, "test.scenario:2: the line is longer than 4 KiB (it starts \"" +
                           std::string(40, 'x') + "...\")");
}

TEST(ScenarioFileLimits, ALongWordIsQuotedCutShort) {
    const std::string word(kMaxScenarioLineBytes - 100, 'y');
    const std::string message = parseError("spawn a\nkill " + word + "\n");
    EXPECT_EQ(message, "test.scenario:2: \"" + std::string(40, 'y') +
                           "...\" is not defined by an earlier step");
}

TEST(ScenarioFileLimits, ANumberOutOfRangeHasOneSentenceInSetAndInExpect) {
    const std::string prelude = "spawn a\ncreate a udp as u\n";
    const std::string huge = "99999999999999999999";
    const std::string sentence = "\"" + huge +
                                 "\" is out of range: a number in a scenario lies "
                                 "between -9223372036854775808 and 9223372036854775807";
    EXPECT_EQ(parseError(prelude + "set u SO_RCVBUF " + huge + "\n"),
              "test.scenario:3: " + sentence);
    EXPECT_EQ(parseError(prelude + "expect option u SO_RCVBUF == " + huge + "\n"),
              "test.scenario:3: " + sentence);
    EXPECT_EQ(parseError(prelude + "expect count u >= " + huge + "\n"),
              "test.scenario:3: " + sentence);
    EXPECT_EQ(parseError(prelude + "expect count u == many\n"),
              "test.scenario:3: \"many\" is not a number");
    // The largest number there is is still a number.
    const Scenario largest =
        parseScenario(prelude + "expect option u SO_RCVBUF < 9223372036854775807\n", "t", "t");
    EXPECT_EQ(largest.steps.back().condition->expected, "9223372036854775807");
}

TEST(ScenarioFileLimits, AByteOrderMarkAndCrlfEndsAreRead) {
    const TemporaryPath windows("windows.scenario");
    {
        std::ofstream file(windows.path(), std::ios::binary);
        file << "\xEF\xBB\xBFspawn a\r\ncreate a udp as u\r\nexpect open u\r\n";
    }
    const Scenario scenario = loadScenario(windows.path());
    ASSERT_EQ(scenario.steps.size(), 3u);
    EXPECT_EQ(scenario.steps[0].verb, Verb::Spawn);
    EXPECT_EQ(scenario.steps[0].text, "spawn a");
    EXPECT_EQ(scenario.steps[0].names, std::vector<std::string>{"a"});
    EXPECT_EQ(scenario.steps[2].text, "expect open u");
}

} // namespace
} // namespace socklens::scenario
