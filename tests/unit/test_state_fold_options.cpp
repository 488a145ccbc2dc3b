// State fold of socket options: requested and effective values, read errors, others' values.
#include "state_fold_builders.h"

#include <gtest/gtest.h>

namespace socklens {
namespace {

using namespace socklens::state_fold_builders;

TEST(StateFold, OptionSetKeepsRequestedAndEffectiveAndALaterReadOfThatValueKeepsRequested) {
    Entries entries;
    sharedConnection(entries);
    const Sequence set =
        entries.add(entry::OptionSet{kWorkerConn, SocketOption::RcvBuf, 12345, 24690});
    State state = entries.fold();

    const OptionValue& after = state.descriptor(kWorkerConn)->options.at(SocketOption::RcvBuf);
    ASSERT_TRUE(after.requested.has_value());
    EXPECT_EQ(*after.requested, 12345);
    EXPECT_EQ(after.value, 24690);
    EXPECT_EQ(after.errorCode, 0);
    EXPECT_EQ(after.at, set);

    const Sequence read =
        entries.add(entry::OptionObserved{kWorkerConn, SocketOption::RcvBuf, 24690, 0});
    const Sequence otherRead =
        entries.add(entry::OptionObserved{kCreatorConn, SocketOption::RcvBuf, 24690, 0});
    state = entries.fold();

    const OptionValue& reread = state.descriptor(kWorkerConn)->options.at(SocketOption::RcvBuf);
    ASSERT_TRUE(reread.requested.has_value());
    EXPECT_EQ(*reread.requested, 12345) << "a read must not forget what was requested";
    EXPECT_EQ(reread.value, 24690);
    EXPECT_EQ(reread.at, read);

    // Read through another descriptor: a value, but nothing was requested through it.
    const OptionValue& other = state.descriptor(kCreatorConn)->options.at(SocketOption::RcvBuf);
    EXPECT_FALSE(other.requested.has_value());
    EXPECT_EQ(other.value, 24690);
    EXPECT_EQ(other.at, otherRead);
    // Options are per descriptor and per option.
    EXPECT_EQ(state.descriptor(kCreatorConn)->options.size(), 1u);
    EXPECT_FALSE(state.descriptor(kCreatorPeer)->options.contains(SocketOption::RcvBuf));
}

TEST(StateFold, AValueSomeoneElseSetEndsTheRequestAndNamesWhoSetIt) {
    Entries entries;
    sharedConnection(entries);
    entries.add(entry::OptionObserved{kCreatorConn, SocketOption::RcvBuf, 212992, 0});
    entries.add(entry::OptionSet{kWorkerConn, SocketOption::RcvBuf, 12345, 24690});
    entries.add(entry::OptionObserved{kCreatorConn, SocketOption::RcvBuf, 24690, 0});
    State state = entries.fold();

    // The creator's reading changed because the worker set it (C5), not by its own request.
    const OptionValue& creator = state.descriptor(kCreatorConn)->options.at(SocketOption::RcvBuf);
    EXPECT_FALSE(creator.requested.has_value());
    EXPECT_EQ(creator.setThrough, kWorkerConn);
    EXPECT_FALSE(creator.changedOutside);

    // A process outside the session sets 20000 (the kernel doubles it): the worker's request
    // no longer explains the value, so "12345 -> 40000" must not be shown.
    entries.add(entry::OptionObserved{kWorkerConn, SocketOption::RcvBuf, 40000, 0});
    state = entries.fold();
    const OptionValue& worker = state.descriptor(kWorkerConn)->options.at(SocketOption::RcvBuf);
    EXPECT_FALSE(worker.requested.has_value());
    EXPECT_EQ(worker.value, 40000);
    EXPECT_TRUE(worker.changedOutside);
    EXPECT_FALSE(worker.setThrough.has_value());

    // A new request through the worker is its own again.
    entries.add(entry::OptionSet{kWorkerConn, SocketOption::RcvBuf, 5000, 10000});
    state = entries.fold();
    const OptionValue& again = state.descriptor(kWorkerConn)->options.at(SocketOption::RcvBuf);
    EXPECT_EQ(again.requested, 5000);
    EXPECT_FALSE(again.changedOutside);
}

TEST(StateFold, SeveralOptionsReadAtOnceAreEachKept) {
    Entries entries;
    sharedConnection(entries);
    entries.add(entry::OptionsObserved{
        kCreatorConn, {{SocketOption::TcpNoDelay, 0, 92}, {SocketOption::IpTtl, 64, 0}}});
    const State state = entries.fold();
    const auto& options = state.descriptor(kCreatorConn)->options;
    ASSERT_EQ(options.size(), 2u);
    EXPECT_EQ(options.at(SocketOption::TcpNoDelay).errorCode, 92);
    EXPECT_EQ(options.at(SocketOption::IpTtl).value, 64);
    EXPECT_EQ(options.at(SocketOption::IpTtl).at, options.at(SocketOption::TcpNoDelay).at);
}

TEST(StateFold, OptionReadErrorIsKeptUntilTheNextSuccessfulSet) {
    Entries entries;
    sharedConnection(entries);
    entries.add(entry::OptionObserved{kCreatorConn, SocketOption::Linger, 0, 22});
    State state = entries.fold();
    EXPECT_EQ(state.descriptor(kCreatorConn)->options.at(SocketOption::Linger).errorCode, 22);

    entries.add(entry::OptionSet{kCreatorConn, SocketOption::Linger, 5, 5});
    state = entries.fold();
    const OptionValue& linger = state.descriptor(kCreatorConn)->options.at(SocketOption::Linger);
    EXPECT_EQ(linger.errorCode, 0);
    EXPECT_EQ(linger.value, 5);
    EXPECT_EQ(linger.requested, std::optional<std::int64_t>(5));

    entries.add(entry::OptionSet{kCreatorConn, SocketOption::Linger, -1, -1});
    state = entries.fold();
    EXPECT_EQ(state.descriptor(kCreatorConn)->options.at(SocketOption::Linger).requested,
              std::optional<std::int64_t>(-1));
}

TEST(StateFold, OptionReadingsAreInOptionOrderWhateverOrderTheyCameIn) {
    Entries entries;
    sharedConnection(entries);
    for (SocketOption option :
         {SocketOption::IpTtl, SocketOption::RcvBuf, SocketOption::Linger, SocketOption::RcvBuf})
        entries.add(entry::OptionObserved{kCreatorConn, option, std::int64_t(option), 0});
    const State state = entries.fold();

    const OptionReadings& options = state.descriptor(kCreatorConn)->options;
    std::vector<SocketOption> order;
    for (const auto& [option, value] : options) {
        order.push_back(option);
        EXPECT_EQ(value.value, std::int64_t(option));
    }
    EXPECT_EQ(order, (std::vector<SocketOption>{SocketOption::RcvBuf, SocketOption::Linger,
                                                SocketOption::IpTtl}));
    EXPECT_EQ(options.find(SocketOption::SndBuf), options.end());
    EXPECT_EQ(options.find(SocketOption::Linger)->second.value, std::int64_t(SocketOption::Linger));
    EXPECT_THROW((void)options.at(SocketOption::SndBuf), std::out_of_range);
}

} // namespace
} // namespace socklens
