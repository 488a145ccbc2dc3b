// The registration timeline (C7) from hand-built journals and from real helpers, and the two
// QCustomPlot views (timeline, descriptor counts) driven by a live session.
#include "live_session.h"
#include "models/registration_timeline.h"
#include "widgets/count_plot.h"
#include "widgets/plot.h"
#include "widgets/registration_timeline_plot.h"

#include <QImage>
#include <QSignalSpy>
#include <QTest>
#include <gtest/gtest.h>

namespace socklens {
namespace {

using ui::buildRegistrationTimeline;
using ui::RegistrationTimeline;
using ui::TimelineLane;

constexpr std::int64_t kStartUs = 1'700'000'000'000'000;
const ProcessId kA(1);
const ProcessId kB(2);
const SocketId kSocket(1);
const DescriptorRef kThroughA{kA, Handle(5)};
const DescriptorRef kThroughB{kB, Handle(7)};

/// Entry `sequence`, timed one second after the previous: entry n is at n - 1 seconds.
JournalEntry at(std::uint64_t sequence, EntryPayload payload) {
    return {Sequence(sequence), kStartUs + std::int64_t(sequence - 1) * 1'000'000,
            std::move(payload)};
}

/// A and B each hold a descriptor of S1.
std::vector<JournalEntry> sharedSocket() {
    return {
        at(1, entry::ProcessStarted{.process = kA, .pid = OsPid(1001), .name = "A"}),
        at(2, entry::ProcessStarted{.process = kB, .pid = OsPid(1002), .name = "B"}),
        at(3, entry::SocketIdentified{.socket = kSocket,
                                      .identity = 4242,
                                      .kind = SocketKindSeen::TcpConnected}),
        at(4, entry::DescriptorOpened{kThroughA, kSocket, DescriptorOrigin::Created}),
        at(5, entry::DescriptorOpened{kThroughB, kSocket, DescriptorOrigin::Duplicated}),
        at(6, entry::CountObserved{.socket = kSocket, .count = 2}),
    };
}

RegistrationTimeline timelineOf(const std::vector<JournalEntry>& entries) {
    return buildRegistrationTimeline(fold(entries), entries, kSocket);
}

TEST(RegistrationTimeline, SecondProcessCancelsTheFirstAndIsNotified) {
    std::vector<JournalEntry> entries = sharedSocket();
    entries.push_back(at(7, entry::RegistrationMade{kSocket, kThroughA, FdRead}));
    entries.push_back(at(8, entry::RegistrationMade{kSocket, kThroughB, FdWrite}));
    entries.push_back(at(9, entry::EventDelivered{kThroughB, kSocket, FdWrite, FdWrite}));
    ui::Session session;
    session.append(entries);

    const RegistrationTimeline timeline =
        buildRegistrationTimeline(session.state(), session.journal().entries(), kSocket);
    EXPECT_DOUBLE_EQ(timeline.now, 8);
    ASSERT_EQ(timeline.lanes.size(), 2u);
    const TimelineLane& a = timeline.lanes[0];
    const TimelineLane& b = timeline.lanes[1];
    EXPECT_EQ(a.name, QStringLiteral("A"));
    EXPECT_EQ(b.name, QStringLiteral("B"));

    ASSERT_EQ(a.bars.size(), 1u);
    EXPECT_EQ(a.bars[0].label, QStringLiteral("FD_READ"));
    EXPECT_DOUBLE_EQ(a.bars[0].start, 6);
    EXPECT_FALSE(a.bars[0].ongoing);
    ASSERT_EQ(b.bars.size(), 1u);
    EXPECT_EQ(b.bars[0].label, QStringLiteral("FD_WRITE"));
    EXPECT_DOUBLE_EQ(a.bars[0].end, b.bars[0].start);
    EXPECT_TRUE(b.bars[0].ongoing);
    EXPECT_DOUBLE_EQ(b.bars[0].end, timeline.now);

    ASSERT_EQ(a.cancellations.size(), 1u);
    EXPECT_DOUBLE_EQ(a.cancellations[0].time, 7);
    EXPECT_EQ(a.cancellations[0].canceller, kB);
    EXPECT_EQ(a.cancellations[0].label, QStringLiteral("cancelled by B"));
    EXPECT_TRUE(b.cancellations.empty());

    EXPECT_TRUE(a.ticks.empty());
    ASSERT_EQ(b.ticks.size(), 1u);
    EXPECT_EQ(b.ticks[0].events, EventMask(FdWrite));
    EXPECT_DOUBLE_EQ(b.ticks[0].time, 8);

    // Each mark names its journal entry, and says in words who, what and when.
    EXPECT_EQ(a.bars[0].at, Sequence(7));
    EXPECT_EQ(a.cancellations[0].at, Sequence(8));
    EXPECT_EQ(b.ticks[0].at, Sequence(9));
    EXPECT_EQ(ui::describeTick(b, b.ticks[0]),
              QStringLiteral("The OS notified B (pid 1002) of FD_WRITE (ready to write) through "
                             "its descriptor 7\nat 8.000 s, journal entry #9"));
    EXPECT_EQ(ui::describeBar(a, a.bars[0]),
              QStringLiteral("A (pid 1001) registered for FD_READ through its descriptor 5\nfrom "
                             "at 6.000 s, journal entry #7; until 7.000 s"));
    EXPECT_EQ(ui::describeCancellation(a, a.cancellations[0]),
              QStringLiteral("A (pid 1001)'s registration was replaced: cancelled by B\nat "
                             "7.000 s, journal entry #8"));
}

TEST(RegistrationTimeline, OwnerSeenOnlyByTheOsGetsALaneAndAnUnknownMask) {
    std::vector<JournalEntry> entries = sharedSocket();
    entries.push_back(at(7, entry::RegistrationMade{kSocket, kThroughB, FdRead | FdWrite}));
    entries.push_back(at(8, entry::OwnerObserved{kSocket, kThroughB, OsPid(9999), ProcessId()}));

    const RegistrationTimeline timeline = timelineOf(entries);
    ASSERT_EQ(timeline.lanes.size(), 2u);
    EXPECT_EQ(timeline.lanes[0].name, QStringLiteral("B"));
    EXPECT_EQ(timeline.lanes[0].bars.at(0).label, QStringLiteral("FD_READ|FD_WRITE"));
    ASSERT_EQ(timeline.lanes[0].cancellations.size(), 1u);
    EXPECT_EQ(timeline.lanes[0].cancellations[0].label, QStringLiteral("cancelled by pid 9999"));
    const TimelineLane& stranger = timeline.lanes[1];
    EXPECT_EQ(stranger.name, QStringLiteral("pid 9999"));
    ASSERT_EQ(stranger.bars.size(), 1u);
    EXPECT_EQ(stranger.bars[0].label, QStringLiteral("?"));
    EXPECT_TRUE(stranger.bars[0].observed);
}

TEST(RegistrationTimeline, WithdrawingOnesOwnRegistrationIsNoCancellation) {
    std::vector<JournalEntry> entries = sharedSocket();
    entries.push_back(at(7, entry::RegistrationMade{kSocket, kThroughA, FdRead}));
    entries.push_back(at(8, entry::RegistrationMade{kSocket, kThroughA, FdRead | FdWrite}));
    entries.push_back(at(9, entry::RegistrationMade{kSocket, kThroughA, 0}));
    entries.push_back(at(10, entry::Problem{"nothing to do with S1"}));

    const RegistrationTimeline timeline = timelineOf(entries);
    ASSERT_EQ(timeline.lanes.size(), 1u);
    const TimelineLane& a = timeline.lanes[0];
    ASSERT_EQ(a.bars.size(), 2u);
    EXPECT_EQ(a.bars[1].label, QStringLiteral("FD_READ|FD_WRITE"));
    EXPECT_DOUBLE_EQ(a.bars[1].end, 8);
    EXPECT_FALSE(a.bars[1].ongoing);
    EXPECT_TRUE(a.cancellations.empty());
}

TEST(RegistrationTimeline, RegistrationEndsWithTheSocketsLastDescriptor) {
    std::vector<JournalEntry> entries = sharedSocket();
    entries.push_back(at(7, entry::RegistrationMade{kSocket, kThroughA, FdRead}));
    entries.push_back(at(8, entry::CountObserved{.socket = kSocket, .count = 0}));
    entries.push_back(at(9, entry::Problem{"later"}));

    const RegistrationTimeline timeline = timelineOf(entries);
    ASSERT_EQ(timeline.lanes.size(), 1u);
    const auto& bar = timeline.lanes[0].bars.at(0);
    EXPECT_FALSE(bar.ongoing);
    EXPECT_DOUBLE_EQ(bar.end, 7);
}

/// Helpers A and B share the client end of a TCP pair made in A.
struct SharedPair {
    testing::LiveSession live;
    ProcessId a;
    ProcessId b;
    DescriptorRef inA;
    DescriptorRef inB;
    SocketId socket;

    void start() {
        live.engine.spawnHelper(QStringLiteral("A"), Platform::Linux);
        live.engine.spawnHelper(QStringLiteral("B"), Platform::Linux);
        ASSERT_TRUE(live.settle());
        a = live.process("A");
        b = live.process("B");
        ASSERT_TRUE(a.valid() && b.valid());
        live.engine.createSocket(a, SocketKind::TcpPair);
        ASSERT_TRUE(live.settle());
        const std::vector<DescriptorRef> pair = live.descriptorsOf(a);
        ASSERT_EQ(pair.size(), 2u);
        inA = pair.front();
        socket = live.session.state().descriptor(inA)->socket;
        live.engine.duplicate(inA, b);
        ASSERT_TRUE(live.settle());
        const std::vector<DescriptorRef> duplicated = live.descriptorsOf(b);
        ASSERT_EQ(duplicated.size(), 1u);
        inB = duplicated.front();
    }

    /// Waits (bounded) until the OS has notified some process of `events` on the socket.
    bool waitForEvent(EventMask events) {
        return QTest::qWaitFor(
            [&] {
                const auto& delivered = live.session.state().events;
                return std::any_of(delivered.begin(), delivered.end(),
                                   [&](const DeliveredEvent& e) {
                                       return e.socket == socket && (e.events & events);
                                   });
            },
            5000);
    }

    RegistrationTimeline timeline() const {
        return buildRegistrationTimeline(live.session.state(), live.session.journal().entries(),
                                         socket);
    }
};

bool hasTick(const TimelineLane& lane, EventMask events) {
    return std::any_of(lane.ticks.begin(), lane.ticks.end(),
                       [&](const ui::TimelineTick& tick) { return tick.events & events; });
}

TEST(RegistrationTimelineLive, ProbeNotifiesOnlyTheLastRegistrant) {
    SharedPair shared;
    ASSERT_NO_FATAL_FAILURE(shared.start());
    shared.live.engine.registerEvents(shared.inA, FdRead);
    shared.live.engine.registerEvents(shared.inB, FdRead);
    ASSERT_TRUE(shared.live.settle());
    shared.live.engine.probe(shared.socket);
    ASSERT_TRUE(shared.live.settle());
    ASSERT_TRUE(shared.waitForEvent(FdRead)) << "the probe's byte notified nobody within 5 s";

    const RegistrationTimeline timeline = shared.timeline();
    const TimelineLane* a = timeline.lane(shared.a);
    const TimelineLane* b = timeline.lane(shared.b);
    ASSERT_TRUE(a && b);
    ASSERT_EQ(a->bars.size(), 1u);
    ASSERT_FALSE(b->bars.empty());
    EXPECT_FALSE(a->bars[0].ongoing);
    EXPECT_DOUBLE_EQ(a->bars[0].end, b->bars.front().start);
    EXPECT_TRUE(b->bars.back().ongoing);
    EXPECT_EQ(b->bars.back().label, QStringLiteral("FD_READ"));
    ASSERT_EQ(a->cancellations.size(), 1u);
    EXPECT_EQ(a->cancellations[0].canceller, shared.b);
    EXPECT_EQ(a->cancellations[0].label, QStringLiteral("cancelled by B"));
    EXPECT_TRUE(hasTick(*b, FdRead));
    EXPECT_FALSE(hasTick(*a, FdRead));
}

/// Pixels that are clearly coloured (not white, grey or black text and axes).
int colouredPixels(QWidget& widget) {
    const QImage image = widget.grab().toImage();
    int count = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor color = image.pixelColor(x, y);
            if (color.hsvSaturation() > 90 && color.value() > 60)
                ++count;
        }
    }
    return count;
}

bool blank(QWidget& widget) {
    const QImage image = widget.grab().toImage();
    const QRgb background = image.pixel(0, 0);
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            if (image.pixel(x, y) != background)
                return false;
        }
    }
    return true;
}

TEST(RegistrationTimelinePlot, FollowsALiveSessionAndDrawsBarsAndLines) {
    SharedPair shared;
    ui::RegistrationTimelinePlot timeline(shared.live.session);
    ui::CountPlot counts(shared.live.session);
    for (QWidget* plot : {static_cast<QWidget*>(&timeline), static_cast<QWidget*>(&counts)}) {
        plot->resize(900, 320);
        plot->show();
    }
    // Before there is anything to plot: axes and the timeline's legend only.
    ASSERT_TRUE(QTest::qWaitFor([&] { return colouredPixels(timeline) > 0; }, 5000));
    const int timelineBefore = colouredPixels(timeline);
    EXPECT_EQ(colouredPixels(counts), 0);

    ASSERT_NO_FATAL_FAILURE(shared.start());
    timeline.setSocket(shared.socket);
    counts.setSelectedSocket(shared.socket);
    shared.live.engine.registerEvents(shared.inA, FdRead);
    shared.live.engine.registerEvents(shared.inB, FdWrite);
    shared.live.engine.probe(shared.socket);
    ASSERT_TRUE(shared.live.settle());
    shared.waitForEvent(FdRead | FdWrite);

    EXPECT_TRUE(
        QTest::qWaitFor([&] { return colouredPixels(timeline) > timelineBefore + 300; }, 5000));
    EXPECT_TRUE(QTest::qWaitFor([&] { return colouredPixels(counts) > 200; }, 5000));
    EXPECT_FALSE(blank(timeline));
    EXPECT_FALSE(blank(counts));

    // Through the end of a holder and of the registration owner.
    shared.live.engine.killHelper(shared.b);
    shared.live.engine.close(shared.inA);
    ASSERT_TRUE(shared.live.settle());
    timeline.setSocket(SocketId());
    counts.setSelectedSocket(SocketId());
    EXPECT_FALSE(blank(timeline));
    EXPECT_FALSE(blank(counts));
}

QStringList legendOf(QWidget& widget);

/// `count` registrations alternating between A and B, 10 ms apart, each followed by a
/// delivery to the new owner: far more tags than a 600 px plot has room for side by side.
std::vector<JournalEntry> busyRegistrations(int count) {
    std::vector<JournalEntry> entries = sharedSocket();
    for (int i = 0; i < count; ++i) {
        const DescriptorRef through = i % 2 ? kThroughB : kThroughA;
        const auto timeUs = kStartUs + 10'000'000 + std::int64_t(i) * 10'000;
        entries.push_back({Sequence(entries.size() + 1), timeUs,
                           entry::RegistrationMade{kSocket, through, FdRead}});
        entries.push_back({Sequence(entries.size() + 1), timeUs + 5'000,
                           entry::EventDelivered{through, kSocket, FdRead, FdRead}});
    }
    return entries;
}

/// The pixel extent of each text tag shown in the plot inside `widget`.
std::vector<QRectF> shownTags(QWidget& widget) {
    const QCustomPlot* plot = widget.findChild<QCustomPlot*>();
    std::vector<QRectF> tags;
    for (int i = 0; i < plot->itemCount(); ++i) {
        auto* text = qobject_cast<QCPItemText*>(plot->item(i));
        if (!text || !text->visible() || text->position->type() != QCPItemPosition::ptPlotCoords)
            continue;
        const QPointF at = text->position->pixelPosition();
        const double width = QFontMetricsF(text->font()).horizontalAdvance(text->text()) +
                             text->padding().left() + text->padding().right();
        tags.emplace_back(at.x(), at.y(), width, 1);
    }
    return tags;
}

TEST(RegistrationTimelinePlot, OpensOnTheEventsWithTagsInsideAndApart) {
    ui::Session session;
    session.append(busyRegistrations(40));
    ui::RegistrationTimelinePlot timeline(session);
    timeline.resize(600, 260);
    timeline.setSocket(kSocket);
    timeline.show();
    auto* plot = timeline.findChild<QCustomPlot*>();
    ASSERT_TRUE(QTest::qWaitFor([&] { return !shownTags(timeline).empty(); }, 5000));
    plot->replot(); // at once, as the user's next zoom would: the tags are placed again

    // The events sit between 10 s and 10.4 s of a session 10.4 s long: they fill the width.
    EXPECT_GT(plot->xAxis->range().lower, 9);
    EXPECT_LT(plot->xAxis->range().upper, 11);

    const QRect area = plot->axisRect()->rect();
    const std::vector<QRectF> tags = shownTags(timeline);
    EXPECT_LT(tags.size(), 40u) << "40 tags cannot fit side by side in 600 px";
    for (std::size_t i = 0; i < tags.size(); ++i) {
        EXPECT_GE(tags[i].left(), area.left());
        EXPECT_LE(tags[i].right(), area.right());
        for (std::size_t j = i + 1; j < tags.size(); ++j) {
            if (std::abs(tags[i].top() - tags[j].top()) < 1) { // same row
                EXPECT_FALSE(tags[i].right() > tags[j].left() && tags[j].right() > tags[i].left())
                    << "tags " << i << " and " << j << " overlap";
            }
        }
    }
}

TEST(RegistrationTimelinePlot, AMarkExplainsItselfAndAClickNamesItsJournalEntry) {
    std::vector<JournalEntry> entries = sharedSocket();
    entries.push_back(at(7, entry::RegistrationMade{kSocket, kThroughA, FdRead}));
    entries.push_back(at(8, entry::RegistrationMade{kSocket, kThroughB, FdWrite}));
    entries.push_back(at(9, entry::EventDelivered{kThroughB, kSocket, FdWrite, FdWrite}));
    entries.push_back(at(10, entry::Problem{"later"}));
    ui::Session session;
    session.append(entries);
    ui::RegistrationTimelinePlot timeline(session);
    timeline.resize(800, 300);
    timeline.setSocket(kSocket);
    timeline.show();
    auto* plot = timeline.findChild<QCustomPlot*>();
    // B's FD_WRITE delivery: lane 1, below its bar, at 8 s.
    const auto tickPixel = [&] {
        return QPoint(int(plot->xAxis->coordToPixel(8)), int(plot->yAxis->coordToPixel(1.31)));
    };
    ASSERT_TRUE(
        QTest::qWaitFor([&] { return timeline.markAt(tickPixel()).second == Sequence(9); }, 5000));
    EXPECT_TRUE(timeline.markAt(tickPixel())
                    .first.startsWith(QStringLiteral("The OS notified B (pid 1002) of FD_WRITE")));
    // A's bar, halfway along; and nothing in the empty space above lane 0.
    const QPoint onBar(int(plot->xAxis->coordToPixel(6.5)), int(plot->yAxis->coordToPixel(0)));
    EXPECT_EQ(timeline.markAt(onBar).second, Sequence(7));
    EXPECT_TRUE(
        timeline.markAt(QPoint(onBar.x(), int(plot->yAxis->coordToPixel(-0.55)))).first.isEmpty());

    QSignalSpy chosen(&timeline, &ui::RegistrationTimelinePlot::entryChosen);
    QTest::mouseClick(plot, Qt::LeftButton, {}, tickPixel());
    ASSERT_EQ(chosen.size(), 1);
    EXPECT_EQ(chosen[0][0].value<Sequence>(), Sequence(9));

    // The legend speaks of what a process is told, not only of flag names.
    const QStringList legend = legendOf(timeline);
    EXPECT_TRUE(legend.contains(QStringLiteral("told: data arrived (FD_READ)")));
    EXPECT_TRUE(legend.contains(QStringLiteral("another process took the registration over")));
}

/// The legend texts of the plot inside `widget`.
QStringList legendOf(QWidget& widget) {
    QStringList texts;
    const QCustomPlot* plot = widget.findChild<QCustomPlot*>();
    for (int i = 0; plot && i < plot->legend->itemCount(); ++i) {
        if (auto* item = qobject_cast<QCPPlottableLegendItem*>(plot->legend->item(i)))
            texts << item->plottable()->name();
    }
    return texts;
}

const QCPAbstractPlottable* legendPlottable(QWidget& widget, int index) {
    auto* item = qobject_cast<QCPPlottableLegendItem*>(
        widget.findChild<QCustomPlot*>()->legend->item(index));
    return item ? item->plottable() : nullptr;
}

TEST(CountPlot, DrawsTheBusiestSocketsTheSelectedOneAndSaysHowManyItLeavesOut) {
    ui::Session session;
    std::vector<JournalEntry> entries;
    for (std::uint32_t i = 1; i <= 20; ++i) {
        const SocketId socket(i);
        entries.push_back(
            at(entries.size() + 1,
               entry::SocketIdentified{.socket = socket,
                                       .identity = 100 + i,
                                       .kind = SocketKindSeen::Udp,
                                       .local = "127.0.0.1:" + std::to_string(4000 + i)}));
        entries.push_back(at(entries.size() + 1,
                             entry::CountObserved{.socket = socket, .count = std::int32_t(i)}));
    }
    session.append(entries);

    ui::CountPlot plot(session);
    plot.resize(1000, 420);
    plot.show();
    plot.setSelectedSocket(SocketId(1));
    QStringList legend = legendOf(plot);
    ASSERT_EQ(legend.size(), ui::CountPlot::kMaxLines + 2);
    EXPECT_EQ(legend.front(), QStringLiteral("S20 UDP 127.0.0.1:4020 (count 20)"));
    EXPECT_EQ(legend[ui::CountPlot::kMaxLines - 1],
              QStringLiteral("S5 UDP 127.0.0.1:4005 (count 5)"));
    EXPECT_EQ(legend[ui::CountPlot::kMaxLines], QStringLiteral("S1 UDP 127.0.0.1:4001 (count 1)"));
    EXPECT_EQ(legend.back(),
              QStringLiteral("+ 3 more sockets, not drawn (only the 16 busiest are)"));

    // A socket that gets busy climbs to the top; the lines already drawn are kept, not rebuilt...
    const QCPAbstractPlottable* busiest = legendPlottable(plot, 0);
    ASSERT_NE(busiest, nullptr);
    const std::uint64_t next = session.journal().lastSequence().value() + 1;
    session.append({at(next, entry::CountObserved{.socket = SocketId(2), .count = 64})});
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            return legendOf(plot).value(0) == QStringLiteral("S2 UDP 127.0.0.1:4002 (count 64)");
        },
        5000));
    EXPECT_EQ(legendOf(plot).back(),
              QStringLiteral("+ 3 more sockets, not drawn (only the 16 busiest are)"));
    EXPECT_EQ(legendPlottable(plot, 1), busiest);
    // ...and S20's step, unchanged, still reaches the session's end (entry 41, at 40 s).
    const auto* s20 = qobject_cast<const QCPGraph*>(busiest);
    ASSERT_NE(s20, nullptr);
    EXPECT_DOUBLE_EQ(std::prev(s20->data()->constEnd())->key, 40);
}

} // namespace
} // namespace socklens
