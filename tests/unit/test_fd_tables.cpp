// FdTables against this process's own /proc/self/fd.
#include "sysmap/fd_tables.h"

#include <algorithm>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using namespace socklens::sysmap;

namespace {

std::uint64_t inodeOf(int fd) {
    struct stat status {};
    ::fstat(fd, &status);
    return status.st_ino;
}

bool holds(const FdTables& tables, std::uint64_t inode, int fd) {
    const auto holders = tables.holdersOf(inode);
    return std::find(holders.begin(), holders.end(), FdHolder{::getpid(), fd}) != holders.end();
}

class FdTablesTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, ends), 0);
        tables.refresh(SIZE_MAX, true);
    }
    void TearDown() override {
        for (const int fd : ends)
            if (fd >= 0)
                ::close(fd);
    }
    int ends[2] = {-1, -1};
    FdTables tables;
};

TEST_F(FdTablesTest, ASocketIsHeldByItsDescriptor) {
    EXPECT_TRUE(holds(tables, inodeOf(ends[0]), ends[0]));
    EXPECT_TRUE(holds(tables, inodeOf(ends[1]), ends[1]));
    const auto mine = tables.socketsOf(::getpid());
    EXPECT_TRUE(std::is_sorted(mine.begin(), mine.end(),
                               [](const SocketFd& x, const SocketFd& y) { return x.fd < y.fd; }));
}

TEST_F(FdTablesTest, AStaleTableIsReadAgainAndItsChangesNamed) {
    const std::uint64_t inode = inodeOf(ends[0]);
    ::close(ends[0]);
    const int closed = std::exchange(ends[0], -1);
    tables.markStale(::getpid());

    const FdTablesRefresh refresh = tables.refresh(0, false);
    EXPECT_TRUE(refresh.changedInodes.contains(inode));
    EXPECT_NE(std::find(refresh.reread.begin(), refresh.reread.end(), ::getpid()),
              refresh.reread.end());
    EXPECT_FALSE(holds(tables, inode, closed));
}

TEST_F(FdTablesTest, AChangedDescriptorCountAloneTriggersARead) {
    ASSERT_GT(openDescriptorCount(::getpid()).value_or(0), 0)
        << "this kernel does not report a process's number of open descriptors "
           "(stat of /proc/PID/fd, Linux >= 6.2)";
    const int copy = ::dup(ends[1]);
    const FdTablesRefresh refresh = tables.refresh(0, false);
    EXPECT_TRUE(refresh.changedInodes.contains(inodeOf(ends[1])));
    EXPECT_TRUE(holds(tables, inodeOf(ends[1]), copy));
    ::close(copy);
}

TEST_F(FdTablesTest, AfterACommandOnlyTheStaleTablesAreReadAgain) {
    const int copy = ::dup(ends[1]); // this process's count moved, but it is not marked
    const FdTablesRefresh unmarked = tables.refreshStale();
    EXPECT_TRUE(unmarked.reread.empty());
    EXPECT_FALSE(holds(tables, inodeOf(ends[1]), copy));

    tables.markStale(::getpid());
    const FdTablesRefresh marked = tables.refreshStale();
    EXPECT_EQ(marked.reread, std::vector<std::int64_t>{::getpid()});
    EXPECT_TRUE(marked.changedInodes.contains(inodeOf(ends[1])));
    EXPECT_TRUE(holds(tables, inodeOf(ends[1]), copy));
    ::close(copy);
}

TEST_F(FdTablesTest, WithoutAChangeNothingIsReadBeyondTheBudget) {
    // Other processes may change meanwhile; this one did not.
    const FdTablesRefresh quiet = tables.refresh(0, false);
    EXPECT_EQ(std::find(quiet.reread.begin(), quiet.reread.end(), ::getpid()), quiet.reread.end());
    // A budget reads tables in turn: every one within a few refreshes.
    std::size_t rounds = 0;
    bool mineRead = false;
    while (!mineRead && rounds++ < 1000) {
        const FdTablesRefresh refresh = tables.refresh(64, false);
        mineRead = std::find(refresh.reread.begin(), refresh.reread.end(), ::getpid()) !=
                   refresh.reread.end();
    }
    EXPECT_TRUE(mineRead);
}

// After a command: the descriptors it touched are read by their links, and a table whole only
// where the process's descriptor count says that more changed.
class TouchedFdTablesTest : public FdTablesTest {
protected:
    void SetUp() override {
        ASSERT_GT(openDescriptorCount(::getpid()).value_or(0), 0)
            << "this kernel does not report a process's number of open descriptors "
               "(stat of /proc/PID/fd, Linux >= 6.2)";
        FdTablesTest::SetUp();
    }
};

TEST_F(TouchedFdTablesTest, ATouchedNewDescriptorIsFound) {
    const int copy = ::dup(ends[1]);
    tables.markTouched(::getpid(), copy);
    const FdTablesRefresh refresh = tables.refreshStale();
    EXPECT_EQ(refresh.reread, std::vector<std::int64_t>{::getpid()});
    EXPECT_TRUE(refresh.changedInodes.contains(inodeOf(ends[1])));
    EXPECT_TRUE(holds(tables, inodeOf(ends[1]), copy));
    ::close(copy);
}

TEST_F(TouchedFdTablesTest, ATouchedClosedDescriptorIsGone) {
    const std::uint64_t inode = inodeOf(ends[0]);
    const int closed = std::exchange(ends[0], -1);
    ::close(closed);
    tables.markTouched(::getpid(), closed);
    const FdTablesRefresh refresh = tables.refreshStale();
    EXPECT_TRUE(refresh.changedInodes.contains(inode));
    EXPECT_FALSE(holds(tables, inode, closed));
    EXPECT_TRUE(tables.holdersOf(inode).empty());
}

TEST_F(TouchedFdTablesTest, AChangeBesidesTheTouchedOnesReadsTheTableWhole) {
    const int touched = ::dup(ends[1]);
    const int untouched = ::dup(ends[0]); // the count is one more than the touched explain
    tables.markTouched(::getpid(), touched);
    tables.refreshStale();
    EXPECT_TRUE(holds(tables, inodeOf(ends[1]), touched));
    EXPECT_TRUE(holds(tables, inodeOf(ends[0]), untouched));
    ::close(touched);
    ::close(untouched);
}

TEST_F(TouchedFdTablesTest, WhereTheCountAgreesOnlyTheTouchedLinksAreRead) {
    // A descriptor that is not a socket becomes one at the same number: the count does not
    // move, so only a whole read shows it — the next turn of refresh(), not a command's
    // observation, which reads what the command touched (that is what keeps it cheap).
    const int file = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(file, 0);
    tables.refresh(SIZE_MAX, false);
    ASSERT_EQ(::dup2(ends[0], file), file);
    const int touched = ::dup(ends[1]);
    tables.markTouched(::getpid(), touched);
    tables.refreshStale();
    EXPECT_TRUE(holds(tables, inodeOf(ends[1]), touched));
    EXPECT_FALSE(holds(tables, inodeOf(ends[0]), file));

    tables.refresh(SIZE_MAX, false); // the rotation reads every table
    EXPECT_TRUE(holds(tables, inodeOf(ends[0]), file));
    ::close(touched);
    ::close(file);
}

} // namespace
