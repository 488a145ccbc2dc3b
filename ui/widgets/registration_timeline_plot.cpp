#include "widgets/registration_timeline_plot.h"

#include "models/change_set.h"
#include "models/registration_timeline.h"
#include "models/session.h"
#include "models/text.h"
#include "widgets/plot.h"
#include "widgets/timeline_labels.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace socklens::ui {

namespace {

// Lane i is centred on y = i (the axis is reversed, so the first lane is on top): the bar
// fills the middle, delivered FD_READ ticks sit above it, FD_WRITE ticks and the
// cancellation label below.
constexpr double kBarHalfHeight = 0.18;
constexpr double kReadTickOffset = -0.31;
constexpr double kWriteTickOffset = 0.31;
constexpr double kCancelLabelOffset = kBarHalfHeight + 0.04;
/// How near (pixels) the pointer must come to a tick or a cross to point at it.
constexpr double kPointReach = 8;

const QColor kReadColor(41, 121, 200);
const QColor kWriteColor(46, 160, 90);
const QColor kBothColor(142, 84, 186);
const QColor kObservedColor(140, 140, 140);
const QColor kCancelColor(214, 39, 40);

QColor colorOf(const TimelineBar& bar) {
    if (bar.observed)
        return kObservedColor;
    switch (bar.mask & (FdRead | FdWrite)) {
    case FdRead:
        return kReadColor;
    case FdWrite:
        return kWriteColor;
    default:
        return kBothColor;
    }
}

/// Marks from several lanes in one graph: QCustomPlot wants them sorted by time.
void setMarks(QCPGraph* graph, std::vector<std::pair<double, double>> marks) {
    std::sort(marks.begin(), marks.end());
    QVector<double> keys;
    QVector<double> values;
    keys.reserve(qsizetype(marks.size()));
    values.reserve(qsizetype(marks.size()));
    for (const auto& [key, value] : marks) {
        keys.push_back(key);
        values.push_back(value);
    }
    graph->setData(keys, values, true);
}

/// A legend entry for the bars, which are items and so have none of their own.
void addLegendSwatch(QCustomPlot* plot, const QString& name, const QColor& color) {
    QCPGraph* swatch = plot->addGraph();
    swatch->setName(name);
    swatch->setLineStyle(QCPGraph::lsNone);
    swatch->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssSquare, color.darker(130), color, 10));
}

QCPGraph* addMarks(QCustomPlot* plot, const QString& name, QCPScatterStyle::ScatterShape shape,
                   const QPen& pen, double size) {
    QCPGraph* graph = plot->addGraph();
    graph->setName(name);
    graph->setLineStyle(QCPGraph::lsNone);
    graph->setScatterStyle(QCPScatterStyle(shape, pen, pen.color(), size));
    return graph;
}

} // namespace

RegistrationTimelinePlot::RegistrationTimelinePlot(const Session& session, QWidget* parent)
    : ThrottledPlot(parent)
    , session_(session)
    , plot_(new QCustomPlot(this))
    , time_(new LiveTimeAxis(plot_))
    , title_(new QCPTextElement(plot_)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);

    plot_->setToolTip(tr("Drag to pan, wheel to zoom, double-click to follow the live end; "
                         "point at a mark to read it, click it to find it in the journal"));
    plot_->setAccessibleName(tr("Registration timeline"));
    plot_->installEventFilter(this);
    labels_ = std::make_unique<TimelineLabels>(*plot_);
    connect(plot_, &QCustomPlot::afterLayout, this, [this] { labels_->place(); });
    connect(plot_, &QCustomPlot::mousePress, this,
            [this](QMouseEvent* event) { pressedAt_ = event->pos(); });
    connect(plot_, &QCustomPlot::mouseRelease, this, [this](QMouseEvent* event) {
        if ((event->pos() - pressedAt_).manhattanLength() > 3)
            return; // a drag of the time axis
        if (const Sequence at = markAt(event->pos()).second; at.valid())
            Q_EMIT entryChosen(at);
    });
    plot_->yAxis->setRangeReversed(true);
    plot_->yAxis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
    plot_->yAxis->grid()->setZeroLinePen(Qt::NoPen); // lane 0 is a lane like the others
    placeLegendBeside(*plot_);
    plot_->plotLayout()->insertRow(0);
    plot_->plotLayout()->addElement(0, 0, title_);

    // In words: what a bar means is "this process would be told", not a flag's name.
    addLegendSwatch(plot_, tr("wants to hear of incoming data (FD_READ)"), kReadColor);
    addLegendSwatch(plot_, tr("wants to hear when it can send (FD_WRITE)"), kWriteColor);
    addLegendSwatch(plot_, tr("wants to hear of both"), kBothColor);
    addLegendSwatch(plot_, tr("registered, for what unknown (read from the OS)"), kObservedColor);
    reads_ = addMarks(plot_, tr("told: data arrived (FD_READ)"),
                      QCPScatterStyle::ssTriangleInverted, QPen(kReadColor.darker(140), 1.5), 12);
    writes_ = addMarks(plot_, tr("told: ready to send (FD_WRITE)"), QCPScatterStyle::ssTriangle,
                       QPen(kWriteColor.darker(140), 1.5), 12);
    cancels_ = addMarks(plot_, tr("another process took the registration over"),
                        QCPScatterStyle::ssCross, QPen(kCancelColor, 2.5), 14);
    // Marks above the bars and their label tags, which are items on the main layer.
    plot_->addLayer(QStringLiteral("marks"), plot_->layer(QStringLiteral("main")),
                    QCustomPlot::limAbove);
    for (QCPGraph* marks : {reads_, writes_, cancels_})
        marks->setLayer(QStringLiteral("marks"));

    connect(&session, &Session::changed, this,
            [this](const ChangeSet& changes, int, int) { noteChanges(changes); });
    new PaletteFollower(plot_); // after the axes are set up: it recolours them
    refresh();
}

RegistrationTimelinePlot::~RegistrationTimelinePlot() = default;

std::pair<QString, Sequence> RegistrationTimelinePlot::markAt(const QPoint& pixel) const {
    const Mark* best = nullptr;
    double bestDistance = kPointReach;
    for (const Mark& mark : marks_) {
        const double x = plot_->xAxis->coordToPixel(mark.start);
        const double y = plot_->yAxis->coordToPixel(mark.y);
        if (mark.halfHeight > 0) { // a bar: inside it, unless a point is nearer
            const double top = plot_->yAxis->coordToPixel(mark.y - mark.halfHeight);
            const double bottom = plot_->yAxis->coordToPixel(mark.y + mark.halfHeight);
            const double right = plot_->xAxis->coordToPixel(mark.end);
            if (!best && pixel.x() >= x && pixel.x() <= right && pixel.y() >= top &&
                pixel.y() <= bottom)
                best = &mark;
            continue;
        }
        const double distance = std::hypot(pixel.x() - x, pixel.y() - y);
        if (distance <= bestDistance || (best && best->halfHeight > 0 && distance <= kPointReach)) {
            best = &mark;
            bestDistance = distance;
        }
    }
    return best ? std::pair{best->text, best->at} : std::pair{QString(), Sequence()};
}

bool RegistrationTimelinePlot::eventFilter(QObject* watched, QEvent* event) {
    if (watched == plot_ && event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = markAt(help->pos()).first;
        QToolTip::showText(help->globalPos(), text.isEmpty() ? plot_->toolTip() : text, plot_);
        return true;
    }
    return ThrottledPlot::eventFilter(watched, event);
}

void RegistrationTimelinePlot::setSocket(SocketId socket) {
    if (socket == socket_)
        return;
    socket_ = socket;
    stale_ = true;
    refresh();
}

void RegistrationTimelinePlot::noteChanges(const ChangeSet& changes) {
    if (!socket_.valid())
        return;
    // Registrations and notifications of the socket land in `sockets`; an exit can end a bar.
    const bool touched = changes.sockets.count(socket_) > 0 ||
                         std::any_of(lanes_.begin(), lanes_.end(), [&](ProcessId process) {
                             return changes.processes.count(process) > 0;
                         });
    stale_ = stale_ || touched;
    // Otherwise only "now" moved: worth a redraw only while a bar grows with it.
    if (stale_ || !ongoing_.empty())
        scheduleRefresh();
}

void RegistrationTimelinePlot::redraw() {
    const double now = SessionClock(session_.visibleEntries()).now();
    if (stale_) {
        rebuild();
        time_->setDataStart(dataStart_); // the axis opens on the events, not the whole session
    } else {
        for (QCPItemRect* bar : ongoing_)
            bar->bottomRight->setCoords(now, bar->bottomRight->coords().y());
        for (Mark& mark : marks_)
            mark.end = mark.ongoing ? now : mark.end;
    }
    time_->follow(now);
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void RegistrationTimelinePlot::rebuild() {
    stale_ = false;
    plot_->clearItems();
    labels_->clear();
    marks_.clear();
    ongoing_.clear();
    lanes_.clear();
    const State& state = session_.state();
    const RegistrationTimeline timeline =
        socket_.valid() ? buildRegistrationTimeline(state, session_.visibleEntries(), socket_)
                        : RegistrationTimeline{};

    QMap<double, QString> laneNames;
    std::vector<std::pair<double, double>> reads;
    std::vector<std::pair<double, double>> writes;
    std::vector<std::pair<double, double>> cancels;
    const auto laneIndex = [&](ProcessId process, OsPid pid) {
        auto it = std::find_if(timeline.lanes.begin(), timeline.lanes.end(), [&](const auto& lane) {
            return process.valid() ? lane.process == process : lane.pid == pid;
        });
        return int(it - timeline.lanes.begin());
    };
    dataStart_ = 0;
    for (const TimelineLane& lane : timeline.lanes) {
        for (const TimelineBar& bar : lane.bars)
            dataStart_ = dataStart_ == 0 ? bar.start : std::min(dataStart_, bar.start);
        for (const TimelineTick& tick : lane.ticks)
            dataStart_ = dataStart_ == 0 ? tick.time : std::min(dataStart_, tick.time);
    }
    for (int i = 0; i < int(timeline.lanes.size()); ++i) {
        const TimelineLane& lane = timeline.lanes[std::size_t(i)];
        lanes_.push_back(lane.process);
        const ProcessState* process = state.process(lane.process);
        laneNames.insert(i,
                         process && !process->alive ? tr("%1 (ended)").arg(lane.name) : lane.name);
        for (const TimelineBar& bar : lane.bars)
            addBar(i, bar, describeBar(lane, bar));
        for (const TimelineTick& tick : lane.ticks) {
            const QString text = describeTick(lane, tick);
            if (tick.events & FdRead) {
                reads.emplace_back(tick.time, i + kReadTickOffset);
                marks_.push_back({tick.time, tick.time, i + kReadTickOffset, 0, text, tick.at});
            }
            if (tick.events & FdWrite) {
                writes.emplace_back(tick.time, i + kWriteTickOffset);
                marks_.push_back({tick.time, tick.time, i + kWriteTickOffset, 0, text, tick.at});
            }
        }
        for (const TimelineCancellation& cancellation : lane.cancellations) {
            cancels.emplace_back(cancellation.time, i);
            marks_.push_back({cancellation.time, cancellation.time, double(i), 0,
                              describeCancellation(lane, cancellation), cancellation.at});
            // Under the cross; TimelineLabels keeps it inside the plot and off other tags.
            auto* label = new QCPItemText(plot_);
            label->setVisible(false); // until TimelineLabels finds it room
            label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
            label->setColor(kCancelColor);
            label->setText(cancellation.label);
            labels_->add(label, cancellation.time, cancellation.time, i + kCancelLabelOffset);
            // An arrow from the canceller's lane says who did it without reading the label.
            const int from = laneIndex(cancellation.canceller, cancellation.cancellerPid);
            if (from < int(timeline.lanes.size())) {
                auto* arrow = new QCPItemLine(plot_);
                arrow->start->setCoords(cancellation.time, from);
                arrow->end->setCoords(cancellation.time,
                                      i + (from < i ? -kBarHalfHeight : kBarHalfHeight));
                arrow->setPen(QPen(kCancelColor, 1, Qt::DashLine));
                arrow->setHead(QCPLineEnding::esSpikeArrow);
            }
        }
    }
    setMarks(reads_, std::move(reads));
    setMarks(writes_, std::move(writes));
    setMarks(cancels_, std::move(cancels));

    qSharedPointerCast<QCPAxisTickerText>(plot_->yAxis->ticker())->setTicks(laneNames);
    plot_->yAxis->setRange(-0.6, std::max<double>(double(timeline.lanes.size()), 1) - 0.4);

    const SocketState* socket = state.socket(socket_);
    if (!socket) {
        title_->setText(tr("Registration: no socket selected"));
    } else {
        QString title = tr("Registration of S%1").arg(socket_.value());
        if (!socket->kind.empty())
            title += u' ' + tr("(%1 %2)").arg(qs(socket->kind), qs(socket->local));
        title_->setText(title);
    }
    if (timeline.lanes.empty()) {
        auto* hint = new QCPItemText(plot_);
        hint->position->setType(QCPItemPosition::ptAxisRectRatio);
        hint->position->setCoords(0.5, 0.5);
        hint->setColor(Qt::gray);
        hint->setText(socket ? tr("Nobody has registered for FD_READ or FD_WRITE on S%1 yet")
                                   .arg(socket_.value())
                             : tr("Select a socket to see who holds its registration"));
    }
}

void RegistrationTimelinePlot::addBar(int lane, const TimelineBar& bar, const QString& text) {
    const QColor color = colorOf(bar);
    auto* rect = new QCPItemRect(plot_);
    rect->topLeft->setCoords(bar.start, lane - kBarHalfHeight);
    rect->bottomRight->setCoords(bar.end, lane + kBarHalfHeight);
    QColor fill = color;
    fill.setAlpha(200);
    rect->setBrush(fill);
    rect->setPen(QPen(color.darker(130)));
    if (bar.ongoing)
        ongoing_.push_back(rect);
    marks_.push_back({bar.start, bar.end, double(lane), kBarHalfHeight, text, bar.at, bar.ongoing});

    // A white tag rather than text on the bar: it stays readable when the bar is a sliver.
    auto* tag = new QCPItemText(plot_);
    tag->setVisible(false); // until TimelineLabels finds it room
    tag->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    tag->setText(bar.label);
    // A bar still held grows with the session: its tag may be placed anywhere along it.
    labels_->add(tag, bar.start, bar.ongoing ? std::numeric_limits<double>::infinity() : bar.end,
                 lane);
    tag->setColor(color.darker(150));
    tag->setPen(QPen(color.darker(130)));
    tag->setBrush(QColor(255, 255, 255, 225));
    tag->setPadding(QMargins(4, 1, 4, 1));
}

} // namespace socklens::ui
