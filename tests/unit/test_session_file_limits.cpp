// A session file from anywhere: what is not a regular file is refused by name, and line
// length, nesting and size are bounded, each stop a sentence naming the limit and keeping
// the entries before it; a byte-order mark and CRLF ends read as the file they came from.
#include "model/session_reader.h"

#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace socklens {
namespace {

const std::string kHeader =
    R"({"format":"socklens-session","format_version":1,"socklens_version":"0.1.0"})";

std::string entry(int sequence, const std::string& text = "x") {
    return R"({"data":{"text":")" + text + R"("},"seq":)" + std::to_string(sequence) +
           R"(,"time_us":1,"type":"CommandIssued"})";
}

/// Where line 3 starts after the header and entry(1).
std::string thirdLine() {
    return std::to_string(kHeader.size() + 1 + entry(1).size() + 1);
}

LoadedSession readBytes(const std::string& bytes, const SessionLimits& limits = {}) {
    std::istringstream in(bytes);
    return readSession(in, "test.jsonl", limits);
}

TEST(SessionFileLimits, DeepNestingIsRefusedBeforeParsingNamingTheLimit) {
    // The regression input from issue 12: 100 000 levels, 200 KB, which overflowed the stack.
    const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
    const LoadedSession loaded =
        readBytes(kHeader + "\n" + entry(1) + "\n" + R"({"data":)" + deep +
                  R"(,"seq":2,"time_us":1,"type":"CommandIssued"})" + "\n");
    EXPECT_EQ(loaded.error, "test.jsonl line 3 (byte " + thirdLine() +
                                ") nests deeper than 32 levels, more than a session entry "
                                "ever does. It loaded the 1 entry before it.");
    EXPECT_EQ(loaded.entries.size(), 1u);
    const LoadedSession header = readBytes(deep + "\n");
    EXPECT_EQ(header.error, "test.jsonl is not a socklens session: its first line nests deeper "
                            "than 32 levels, more than a session entry ever does.");
    // Brackets inside strings are text, not nesting.
    const LoadedSession quoted = readBytes(kHeader + "\n" + entry(1, std::string(100, '[')) + "\n");
    EXPECT_TRUE(quoted.complete()) << quoted.error;
}

TEST(SessionFileLimits, ALongLineStopsTheReadingNamingTheLimit) {
    const std::string longLine(2 * 1024 * 1024, 'x');
    const LoadedSession loaded = readBytes(kHeader + "\n" + entry(1) + "\n" + longLine + "\n");
    EXPECT_EQ(loaded.error, "test.jsonl line 3 (byte " + thirdLine() +
                                ") is longer than 1 MiB, more than a session entry ever is. It "
                                "loaded the 1 entry before it.");
    EXPECT_EQ(loaded.entries.size(), 1u);
    EXPECT_EQ(readBytes(longLine).error,
              "test.jsonl is not a socklens session: its first line is longer than 1 MiB.");
}

TEST(SessionFileLimits, AFileLargerThanTheLimitStopsWhereItCrossesIt) {
    SessionLimits limits;
    limits.fileBytes = kHeader.size() + 1 + 2 * (entry(1).size() + 1);
    std::string bytes = kHeader + "\n";
    for (int i = 1; i <= 5; ++i)
        bytes += entry(i) + "\n";
    const LoadedSession loaded = readBytes(bytes, limits);
    EXPECT_EQ(loaded.error, "test.jsonl is larger than a session file may be (" +
                                std::to_string(limits.fileBytes) +
                                " bytes); the reading stopped there. It loaded the 2 entries "
                                "before it.");
    EXPECT_EQ(loaded.entries.size(), 2u);
    limits.fileBytes = bytes.size();
    EXPECT_TRUE(readBytes(bytes, limits).complete()) << "exactly at the limit is allowed";
}

TEST(SessionFileLimits, AByteOrderMarkAndCrlfEndsAreRead) {
    const LoadedSession loaded = readBytes("\xEF\xBB\xBF" + kHeader + "\r\n" + entry(1) + "\r\n" +
                                           entry(2) + "\r\n" + entry(4) + "\r\n");
    EXPECT_EQ(loaded.entries.size(), 2u);
    // Byte offsets count the mark and the '\r's: they point into the file as it is.
    EXPECT_EQ(loaded.error, "test.jsonl line 4 (byte " +
                                std::to_string(3 + kHeader.size() + 2 + 2 * (entry(1).size() + 2)) +
                                ") holds entry #4 where #3 should follow. It loaded the 2 "
                                "entries before it.");
}

TEST(SessionFileLimits, DirectoriesDevicesAndFifosAreRefusedByName) {
    EXPECT_EQ(readSessionFile("/dev/zero").error,
              "/dev/zero is a device, not a session file (a regular file of at most 1 GiB).");
    const std::string directory = ::testing::TempDir();
    EXPECT_NE(readSessionFile(directory).error.find(" is a directory, not a session file"),
              std::string::npos);
    const std::string fifo =
        ::testing::TempDir() + "socklens-session-fifo-" + std::to_string(::getpid());
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    EXPECT_EQ(readSessionFile(fifo).error,
              fifo + " is a FIFO (named pipe), not a session file (a regular file of at most "
                     "1 GiB).");
    std::remove(fifo.c_str());
}

} // namespace
} // namespace socklens
