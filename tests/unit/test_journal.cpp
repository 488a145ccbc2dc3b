// The journal numbers and stamps entries and passes them to listeners; kept or not, the
// numbering and the last entry are the same.
#include "model/journal.h"

#include <gtest/gtest.h>
#include <stdexcept>

namespace socklens {
namespace {

TEST(Journal, NumbersEntriesFromOneAndKeepsThem) {
    Journal journal;
    EXPECT_EQ(journal.lastEntry(), nullptr);
    journal.append(entry::CommandIssued{"first"});
    journal.append(entry::CommandIssued{"second"});
    ASSERT_EQ(journal.entries().size(), 2u);
    EXPECT_EQ(journal.entries()[0].sequence, Sequence(1));
    EXPECT_EQ(journal.entries()[1].sequence, Sequence(2));
    EXPECT_EQ(journal.lastSequence(), Sequence(2));
    EXPECT_EQ(journal.lastEntry(), &journal.entries().back());
}

TEST(Journal, RecordedEntriesMustFollowTheLast) {
    Journal journal;
    journal.appendRecorded(JournalEntry{Sequence(1), 10, entry::Problem{"a"}});
    EXPECT_THROW(journal.appendRecorded(JournalEntry{Sequence(3), 20, entry::Problem{"b"}}),
                 std::invalid_argument);
    EXPECT_EQ(journal.lastSequence(), Sequence(1));
}

TEST(Journal, WithoutHistoryListenersStillSeeEveryEntryNumbered) {
    Journal journal(JournalHistory::ListenersOnly);
    std::vector<Sequence> seen;
    journal.addListener([&](const JournalEntry& entry) { seen.push_back(entry.sequence); });
    journal.append(entry::CommandIssued{"first"});
    const JournalEntry& second = journal.append(entry::Problem{"second"});

    EXPECT_EQ(journal.history(), JournalHistory::ListenersOnly);
    EXPECT_TRUE(journal.entries().empty());
    EXPECT_EQ(seen, (std::vector<Sequence>{Sequence(1), Sequence(2)}));
    EXPECT_EQ(second.sequence, Sequence(2));
    EXPECT_EQ(journal.lastSequence(), Sequence(2));
    ASSERT_NE(journal.lastEntry(), nullptr);
    EXPECT_EQ(std::get<entry::Problem>(journal.lastEntry()->payload).sentence, "second");
}

} // namespace
} // namespace socklens
