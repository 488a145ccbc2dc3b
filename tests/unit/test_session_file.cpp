// The session file: written entry by entry, read back entry for entry, and every kind of
// damage (a cut, a flipped bit, a newer format, a foreign file) refused with a sentence that
// names the line and byte, keeping exactly the valid prefix.
#include "model/journal.h"
#include "model/journal_json.h"
#include "model/session_reader.h"
#include "model/session_writer.h"
#include "report/json_report.h"

#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

namespace socklens {
namespace {

constexpr ProcessId kA{1};
constexpr ProcessId kB{2};
constexpr SocketId kS{1};
constexpr DescriptorRef kA5{kA, Handle(5)};
constexpr DescriptorRef kB7{kB, Handle(7)};

/// Appends with a fixed clock, so two calls make the same journal.
struct FixedClockJournal {
    Journal journal;
    void append(EntryPayload payload) {
        const std::uint64_t seq = journal.lastSequence().value() + 1;
        journal.appendRecorded(JournalEntry{
            Sequence(seq), 1'700'000'000'000'000 + std::int64_t(seq) * 1500, std::move(payload)});
    }
};

Journal makeSampleJournal() {
    FixedClockJournal journal;
    journal.append(entry::ScenarioStarted{"sample", "sample.scenario"});
    journal.append(entry::ProcessStarted{kA, OsPid(100), "a", Platform::Linux, true, "Linux 6.1"});
    journal.append(entry::ProcessStarted{kB, OsPid(101), "b", Platform::Linux, true, "Linux 6.1"});
    journal.append(entry::SocketIdentified{kS, 4711, SocketKindSeen::TcpConnected, 2, 1, 6,
                                           "127.0.0.1:1", "127.0.0.1:2", "ESTABLISHED"});
    journal.append(entry::DescriptorOpened{kA5, kS, DescriptorOrigin::Created});
    journal.append(entry::CountObserved{kS, 1, 0, {{kA, OsPid(100), Handle(5)}}});
    journal.append(entry::DuplicationStarted{DuplicationId(1), kS, kA5, kB,
                                             DuplicationMechanism::ScmRights, false});
    journal.append(entry::HandoffStep{DuplicationId(1), 5, HandoffActor::Source,
                                      "sendmsg(SCM_RIGHTS)", "fd 5"});
    journal.append(entry::DescriptorOpened{kB7, kS, DescriptorOrigin::Duplicated});
    journal.append(entry::DuplicationFinished{DuplicationId(1), kB7, ""});
    journal.append(
        entry::CountObserved{kS, 2, 0, {{kA, OsPid(100), Handle(5)}, {kB, OsPid(101), Handle(7)}}});
    journal.append(entry::StepStarted{7, "set b:7 SO_RCVBUF 12345", {"C5"}});
    journal.append(entry::OptionSet{kB7, SocketOption::RcvBuf, 12345, 24690});
    journal.append(entry::OptionObserved{kA5, SocketOption::RcvBuf, 24690, 0});
    journal.append(entry::StepFinished{7, true, "a:5 reads 24690", {"C5"}, {Sequence(14)}});
    journal.append(entry::RegistrationMade{kS, kA5, FdRead, RegistrationMechanism::FcntlSetOwn});
    journal.append(entry::RegistrationMade{kS, kB7, FdWrite, RegistrationMechanism::FcntlSetOwn});
    journal.append(entry::EventDelivered{kB7, kS, FdRead, FdWrite, 65});
    journal.append(entry::DataSent{kA5, std::string("\xff\xfe not UTF-8", 13)});
    journal.append(entry::ProcessExited{kA, "killed by signal 9 (SIGKILL)"});
    journal.append(entry::CountObserved{kS, 1, 0, {{kB, OsPid(101), Handle(7)}}});
    journal.append(entry::ScenarioFinished{true, "all 3 steps passed"});
    return std::move(journal.journal);
}

const Journal& sampleJournal() {
    static const Journal journal = makeSampleJournal();
    return journal;
}

/// The whole folded state as text: two states are the same when their reports are.
std::string stateText(std::span<const JournalEntry> entries, const State& state) {
    const report::ReportInput input{entries, state, SessionHeader{2, "test", "Linux test"}, 1};
    return report::buildJsonReport(input).dump(-1, ' ', false,
                                               nlohmann::json::error_handler_t::replace);
}

std::string temporaryPath(const std::string& name) {
    return ::testing::TempDir() + "socklens-session-test-" + std::to_string(::getpid()) + "-" +
           name;
}

std::string readAll(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(file), {});
}

/// The sample journal as a session file's bytes.
std::string sampleFile() {
    const std::string path = temporaryPath("sample.jsonl");
    {
        SessionWriter writer(path);
        writer.write(sampleJournal().entries());
    }
    std::string bytes = readAll(path);
    std::remove(path.c_str());
    return bytes;
}

LoadedSession readBytes(const std::string& bytes) {
    std::istringstream in(bytes);
    return readSession(in, "test.jsonl");
}

/// Byte offsets at which each line starts; [0] is the header's.
std::vector<std::size_t> lineStarts(const std::string& bytes) {
    std::vector<std::size_t> starts{0};
    for (std::size_t i = 0; i + 1 < bytes.size(); ++i) {
        if (bytes[i] == '\n')
            starts.push_back(i + 1);
    }
    return starts;
}

/// The loaded entries are exactly the first `count` of the sample, field for field.
void expectSamplePrefix(const LoadedSession& loaded, std::size_t count) {
    static const std::vector<std::string> original = [] {
        std::vector<std::string> lines;
        for (const JournalEntry& entry : sampleJournal().entries())
            lines.push_back(toJson(entry).dump());
        return lines;
    }();
    ASSERT_EQ(loaded.entries.size(), count) << loaded.error;
    for (std::size_t i = 0; i < count; ++i)
        ASSERT_EQ(toJson(loaded.entries[i]).dump(), original[i]) << "entry " << i + 1;
}

TEST(SessionFile, WrittenEntriesReadBackWithTheHeader) {
    const LoadedSession loaded = readBytes(sampleFile());
    EXPECT_TRUE(loaded.complete()) << loaded.error;
    EXPECT_EQ(loaded.header.formatVersion, kSessionFormatVersion);
    EXPECT_EQ(loaded.header.kernel, hostKernel());
    EXPECT_FALSE(loaded.header.socklensVersion.empty());
    expectSamplePrefix(loaded, sampleJournal().entries().size());
}

TEST(SessionFile, LoadedSessionFoldsToTheLiveStateEntryForEntry) {
    const Journal& live = sampleJournal();
    const LoadedSession loaded = readBytes(sampleFile());
    ASSERT_EQ(loaded.entries.size(), live.entries().size());
    State liveState;
    State loadedState;
    for (std::size_t i = 0; i < live.entries().size(); ++i) {
        apply(liveState, live.entries()[i]);
        apply(loadedState, loaded.entries[i]);
        const auto livePrefix = std::span(live.entries()).first(i + 1);
        const auto loadedPrefix = std::span(loaded.entries).first(i + 1);
        ASSERT_EQ(stateText(loadedPrefix, loadedState), stateText(livePrefix, liveState))
            << "after entry " << i + 1;
    }
}

TEST(SessionFile, EveryCutKeepsTheEntriesBeforeItAndSaysWhere) {
    const std::string bytes = sampleFile();
    const std::vector<std::size_t> starts = lineStarts(bytes);
    for (std::size_t line = 1; line < starts.size(); ++line) {
        const std::size_t end = line + 1 < starts.size() ? starts[line + 1] - 1 : bytes.size() - 1;
        for (std::size_t cut = starts[line] + 1; cut < end; ++cut) {
            const LoadedSession loaded = readBytes(bytes.substr(0, cut));
            ASSERT_FALSE(loaded.complete()) << "cut at " << cut;
            const std::string where = "ends in the middle of line " + std::to_string(line + 1) +
                                      " (byte " + std::to_string(starts[line]) + ")";
            EXPECT_NE(loaded.error.find(where), std::string::npos) << loaded.error;
            expectSamplePrefix(loaded, line - 1);
        }
    }
}

TEST(SessionFile, ACutAfterALinesNewlineLosesNothing) {
    const std::string bytes = sampleFile();
    const std::vector<std::size_t> starts = lineStarts(bytes);
    const LoadedSession loaded = readBytes(bytes.substr(0, starts[5]));
    EXPECT_TRUE(loaded.complete()) << loaded.error;
    expectSamplePrefix(loaded, 4);
}

TEST(SessionFile, EveryFlippedBitIsFoundOnItsLineAndThePrefixKept) {
    const std::string bytes = sampleFile();
    const std::vector<std::size_t> starts = lineStarts(bytes);
    for (std::size_t at = starts[1]; at < bytes.size() - 1; ++at) {
        std::string damaged = bytes;
        damaged[at] = char(damaged[at] ^ (1 << (at % 8)));
        const std::size_t line =
            std::size_t(std::upper_bound(starts.begin(), starts.end(), at) - starts.begin());
        // A flipped newline joins its line to the next: the damage shows on its own line.
        const LoadedSession loaded = readBytes(damaged);
        ASSERT_FALSE(loaded.complete()) << "flip at byte " << at << " was not noticed";
        const std::string where =
            "line " + std::to_string(line) + " (byte " + std::to_string(starts[line - 1]) + ")";
        EXPECT_NE(loaded.error.find(where), std::string::npos) << at << ": " << loaded.error;
        expectSamplePrefix(loaded, line - 2);
    }
}

TEST(SessionFile, ADamagedHeaderLoadsNothingAndSaysSo) {
    std::string bytes = sampleFile();
    bytes[30] = char(bytes[30] ^ 0x04);
    const LoadedSession loaded = readBytes(bytes);
    EXPECT_TRUE(loaded.entries.empty());
    EXPECT_NE(loaded.error.find("header (line 1)"), std::string::npos) << loaded.error;
}

TEST(SessionFile, ANewerFormatSaysSoAndKeepsWhatItCouldRead) {
    const std::string bytes = sampleFile();
    const std::string future = std::to_string(kSessionFormatVersion + 1);
    const std::string newer =
        checksummedLine(R"({"format":"socklens-session","format_version":)" + future +
                        R"(,"kernel":"Linux 9","socklens_version":"9.0.0"})") +
        "\n" + bytes.substr(bytes.find('\n') + 1) +
        checksummedLine(R"({"data":{},"seq":23,"time_us":5,"type":"FutureThing"})") + "\n";
    const LoadedSession loaded = readBytes(newer);
    EXPECT_NE(loaded.error.find("session format " + future + " by socklens 9.0.0"),
              std::string::npos)
        << loaded.error;
    EXPECT_NE(loaded.error.find("reads formats 1 to " + std::to_string(kSessionFormatVersion)),
              std::string::npos)
        << loaded.error;
    EXPECT_NE(loaded.error.find("line 24"), std::string::npos) << loaded.error;
    EXPECT_NE(loaded.error.find("FutureThing"), std::string::npos) << loaded.error;
    expectSamplePrefix(loaded, sampleJournal().entries().size());
}

TEST(SessionFile, FormatOneFilesWithoutChecksumsStillLoad) {
    std::string bytes =
        R"({"format":"socklens-session","format_version":1,"socklens_version":"0.1.0"})"
        "\n";
    for (const JournalEntry& entry : sampleJournal().entries())
        bytes += toJson(entry).dump() + "\n";
    const LoadedSession loaded = readBytes(bytes);
    EXPECT_TRUE(loaded.complete()) << loaded.error;
    EXPECT_EQ(loaded.header.formatVersion, 1);
    EXPECT_TRUE(loaded.header.kernel.empty());
    expectSamplePrefix(loaded, sampleJournal().entries().size());
}

TEST(SessionFile, AnEntryOutOfOrderStopsTheReading) {
    std::string bytes = sampleFile();
    const std::vector<std::size_t> starts = lineStarts(bytes);
    bytes = bytes.substr(0, starts[3]) + bytes.substr(starts[4]); // entry 3 is gone
    const LoadedSession loaded = readBytes(bytes);
    EXPECT_NE(loaded.error.find("line 4 (byte " + std::to_string(starts[3]) +
                                ") holds entry #4 where #3 should follow"),
              std::string::npos)
        << loaded.error;
    expectSamplePrefix(loaded, 2);
}

TEST(SessionFile, ForeignEmptyAndMissingFilesAreRefusedInASentence) {
    EXPECT_EQ(readBytes("").error, "test.jsonl is empty: it is not a socklens session.");
    EXPECT_EQ(readBytes("hello\n").error,
              "test.jsonl is not a socklens session: its first line is not a session header.");
    const LoadedSession missing = readSessionFile("/nonexistent/socklens.jsonl");
    EXPECT_EQ(missing.error, "cannot open the session file /nonexistent/socklens.jsonl: No such "
                             "file or directory.");
}

// Found by fuzz_session_reader: a header field of the wrong type, a fraction in an entry.
TEST(SessionFile, WrongTypesInTheHeaderOrFractionsInEntriesAreRefusedNotThrown) {
    const LoadedSession header =
        readBytes(R"({"format":"socklens-session","format_version":1,"socklens_version":3})"
                  "\n");
    EXPECT_TRUE(header.complete()) << header.error;
    EXPECT_EQ(header.header.socklensVersion, "");
    const LoadedSession fraction =
        readBytes(R"({"format":"socklens-session","format_version":1,"socklens_version":"0.1.0"})"
                  "\n"
                  R"({"data":{"text":"x"},"seq":1,"time_us":1.8e24,"type":"CommandIssued"})"
                  "\n");
    EXPECT_NE(fraction.error.find("line 2 (byte 76) is not a journal entry"), std::string::npos)
        << fraction.error;
    EXPECT_NE(fraction.error.find("fraction"), std::string::npos) << fraction.error;
}

TEST(SessionFile, TheWriterFlushesEveryEntry) {
    const std::string path = temporaryPath("flush.jsonl");
    SessionWriter writer(path);
    const Journal& journal = sampleJournal();
    for (std::size_t i = 0; i < 3; ++i)
        writer.write(journal.entries()[i]);
    // Still open: what a kill -9 would leave.
    const LoadedSession loaded = readSessionFile(path);
    EXPECT_TRUE(loaded.complete()) << loaded.error;
    expectSamplePrefix(loaded, 3);
    std::remove(path.c_str());
}

} // namespace
} // namespace socklens
