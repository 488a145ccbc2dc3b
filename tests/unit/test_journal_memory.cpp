// What a held journal entry costs: 10 000 duplicate+close cycles' worth of entries, the
// ones a real cycle journals (as in a session file of `duplicate c into b as d` / `close d`),
// appended to a Journal that keeps its history, as the CLI and the GUI's Session do. The
// figure is printed, not asserted (docs/performance.md, "Journal memory").
#include "model/journal.h"

#include <gtest/gtest.h>
#include <iostream>
#include <malloc.h>

namespace socklens {
namespace {

std::size_t heapInUse() {
    const struct mallinfo2 info = ::mallinfo2();
    return info.uordblks + info.hblkhd; // small blocks, and the large ones mmap'd apart
}

/// The 23 entries one duplicate+close cycle journals, with the texts the broker writes.
void appendCycle(Journal& journal, std::uint64_t cycle) {
    const DescriptorRef source{ProcessId(1), Handle(6)};
    const DescriptorRef copy{ProcessId(2), Handle(5)};
    const DuplicationId id(cycle);
    const std::int32_t line = std::int32_t(4 + 2 * cycle);
    const std::string name = "d" + std::to_string(cycle);
    const std::vector<entry::Holder> one{{ProcessId(1), OsPid(742), Handle(6)}};
    std::vector<entry::Holder> two = one;
    two.push_back({ProcessId(2), OsPid(764), Handle(5)});
    auto step = [&](std::int32_t number, HandoffActor actor, const char* text, const char* detail) {
        journal.append(entry::HandoffStep{id, number, actor, text, detail});
    };
    journal.append(entry::StepStarted{line, "duplicate c into b as " + name, {}});
    journal.append(entry::CommandIssued{"duplicate a:6 into b (pid 764)"});
    journal.append(entry::DuplicationStarted{id, SocketId(1), source, ProcessId(2),
                                             DuplicationMechanism::ScmRights, false});
    step(1, HandoffActor::Source,
         "a:6 holds a TCP connected socket 127.0.0.1:51298 -> 127.0.0.1:44545", "socket:[166340]");
    step(2, HandoffActor::Broker, "ask b (pid 764) for its process id", "");
    step(3, HandoffActor::Target, "the target answers: pid 764", "");
    step(4, HandoffActor::Source, "the source side receives the target's pid 764", "");
    step(5, HandoffActor::Source,
         "sendmsg(SCM_RIGHTS) passes fd 6 to the broker, which receives it as its fd 6",
         "socket:[166340]");
    journal.append(entry::ReferenceInFlight{id, SocketId(1)});
    step(6, HandoffActor::Broker,
         "sendmsg(SCM_RIGHTS) passes it on to the target; the broker closes its fd 6 at once", "");
    journal.append(entry::DescriptorOpened{copy, SocketId(1), DescriptorOrigin::Duplicated});
    step(7, HandoffActor::Target, "recvmsg(SCM_RIGHTS) in the target receives the reference", "");
    step(8, HandoffActor::Target, "the target holds fd 5 for the same socket", "socket:[166340]");
    journal.append(entry::DuplicationFinished{id, copy, ""});
    journal.append(entry::CountObserved{SocketId(1), 2, 0, two});
    std::vector<OptionReading> readings;
    for (const SocketOption option :
         {SocketOption::RcvBuf, SocketOption::SndBuf, SocketOption::KeepAlive,
          SocketOption::ReuseAddr, SocketOption::Linger, SocketOption::RcvLowat,
          SocketOption::TcpNoDelay, SocketOption::IpTtl})
        readings.push_back(OptionReading{option, 1, 0});
    journal.append(entry::OptionsObserved{copy, std::move(readings)});
    journal.append(entry::StepFinished{line, true, name + " = fd 5 in b", {}, {}});
    journal.append(entry::StepStarted{line + 1, "close " + name, {}});
    journal.append(entry::CommandIssued{"close b:5"});
    step(10, HandoffActor::Target, "b:5 closes its descriptor", "");
    journal.append(entry::DescriptorClosed{copy, DescriptorEnd::Closed});
    journal.append(entry::CountObserved{SocketId(1), 1, 0, one});
    journal.append(entry::StepFinished{line + 1, true, "closed " + name, {}, {}});
}

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitizedAllocator = true;
#else
constexpr bool kSanitizedAllocator = false;
#endif

TEST(JournalMemory, BytesPerHeldEntryOfDuplicateCloseCycles) {
    if (kSanitizedAllocator)
        GTEST_SKIP() << "a sanitizer's allocator does not report heap use through mallinfo2; "
                        "the dev build measures this";
    constexpr std::uint64_t kCycles = 10'000;
    const std::size_t before = heapInUse();
    std::size_t held = 0;
    std::size_t bytes = 0;
    {
        Journal journal;
        for (std::uint64_t cycle = 1; cycle <= kCycles; ++cycle)
            appendCycle(journal, cycle);
        held = journal.entries().size();
        bytes = heapInUse() - before;
    }
    ASSERT_EQ(held, kCycles * 23);
    const double perEntry = double(bytes) / double(held);
    std::cout << "journal memory: " << held << " entries held in " << bytes << " bytes, "
              << perEntry << " bytes per entry (sizeof(JournalEntry) " << sizeof(JournalEntry)
              << ")\n";
    RecordProperty("bytes_per_entry", std::to_string(perEntry));
    // The measurement sees at least every entry's own bytes; else the figure means nothing.
    EXPECT_GE(perEntry, double(sizeof(JournalEntry)));
}

} // namespace
} // namespace socklens
