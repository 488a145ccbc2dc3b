#include "widgets/count_plot.h"

#include "models/change_set.h"
#include "models/registration_timeline.h"
#include "models/session.h"
#include "models/text.h"
#include "widgets/plot.h"

#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <optional>

namespace socklens::ui {

namespace {

/// A colour of its own per socket, stable across refreshes (golden-ratio hue steps).
QColor colorOf(SocketId socket) {
    const double hue = std::fmod(0.11 + socket.value() * 0.618033988749895, 1.0);
    return QColor::fromHsvF(float(hue), 0.85f, 0.75f);
}

QString legendName(const SocketState& socket) {
    QString name = QStringLiteral("S%1").arg(socket.id.value());
    if (!socket.kind.empty())
        name += u' ' + qs(socket.kind);
    if (!socket.local.empty())
        name += u' ' + qs(socket.local);
    if (!socket.open)
        return name + u' ' + CountPlot::tr("(closed)");
    if (socket.withoutDescriptor)
        return name + u' ' + CountPlot::tr("(alive, no descriptor)");
    if (socket.inFlight > 0)
        return name + u' ' +
               CountPlot::tr("(count %1 + %2 in flight)").arg(socket.count).arg(socket.inFlight);
    return name + u' ' + CountPlot::tr("(count %1)").arg(socket.count);
}

void fillWithoutDescriptor(const SocketState& state, const SessionClock& clock, double now,
                           QCPGraph& graph) {
    // One segment along zero per stretch; NaN between stretches breaks the line.
    QVector<double> keys;
    QVector<double> values;
    const double gap = std::numeric_limits<double>::quiet_NaN();
    std::optional<double> from;
    auto endStretch = [&](double at) {
        keys << *from << at << at;
        values << 0 << 0 << gap;
        from.reset();
    };
    for (const CountPoint& point : state.countHistory) {
        const double at = clock.seconds(point.timeUs);
        if (point.withoutDescriptor && !from)
            from = at;
        else if (!point.withoutDescriptor && from)
            endStretch(at);
    }
    if (from)
        endStretch(std::max(now, *from));
    graph.setData(keys, values, true);
}

} // namespace

CountPlot::CountPlot(const Session& session, QWidget* parent)
    : ThrottledPlot(parent)
    , session_(session)
    , plot_(new QCustomPlot(this))
    , time_(new LiveTimeAxis(plot_))
    , more_(plot_->addGraph())
    , hint_(new QCPItemText(plot_)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);

    plot_->setToolTip(tr("Drag to pan, wheel to zoom, double-click to follow the live end"));
    plot_->yAxis->setLabel(tr("descriptors (observed)"));
    plot_->setAccessibleName(tr("Descriptor counts"));
    plot_->yAxis->setRange(0, 2);
    auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
    ticker->setTickStep(1); // counts are whole numbers: no 0.5 ticks
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    plot_->yAxis->setTicker(ticker);
    plot_->addLayer(QStringLiteral("selected"), plot_->layer(QStringLiteral("main")),
                    QCustomPlot::limAbove);
    placeLegendBeside(*plot_);

    more_->setPen(Qt::NoPen);
    more_->removeFromLegend();

    hint_->position->setType(QCPItemPosition::ptAxisRectRatio);
    hint_->position->setCoords(0.5, 0.5);
    hint_->setColor(Qt::gray);
    hint_->setText(tr("Descriptor counts appear here once a socket exists"));

    connect(&session, &Session::changed, this,
            [this](const ChangeSet& changes, int, int) { noteChanges(changes); });
    for (const auto& [id, socket] : session.state().sockets)
        dirty_.insert(id);
    new PaletteFollower(plot_);
    refresh();
}

CountPlot::~CountPlot() = default;

void CountPlot::setSelectedSocket(SocketId socket) {
    if (socket == selected_)
        return;
    selected_ = socket;
    refresh();
}

void CountPlot::noteChanges(const ChangeSet& changes) {
    dirty_.insert(changes.sockets.begin(), changes.sockets.end());
    if (changes.everySocket) {
        for (const auto& [id, socket] : session_.state().sockets)
            dirty_.insert(id);
    }
    // Even a batch about other things moves "now", and with it the open sockets' steps.
    scheduleRefresh();
}

void CountPlot::redraw() {
    const double now = SessionClock(session_.visibleEntries()).now();
    for (SocketId socket : dirty_)
        rerank(socket);

    const std::vector<SocketId> shown = socketsToShow();
    for (auto it = lines_.begin(); it != lines_.end();) {
        if (std::find(shown.begin(), shown.end(), it->first) != shown.end()) {
            ++it;
            continue;
        }
        plot_->removeGraph(it->second.graph);
        plot_->removeGraph(it->second.withoutDescriptor);
        it = lines_.erase(it);
    }
    for (SocketId socket : shown) {
        auto [it, added] = lines_.try_emplace(socket);
        Line& line = it->second;
        if (added) {
            line.graph = plot_->addGraph();
            line.graph->setLineStyle(QCPGraph::lsStepLeft);
            line.withoutDescriptor = plot_->addGraph();
            line.withoutDescriptor->removeFromLegend();
        }
        if (added || dirty_.count(socket)) {
            fill(socket, line, now);
        } else if (line.trailing) {
            // Only time moved: slide the last point instead of refilling the line.
            auto last = std::prev(line.graph->data()->end());
            last->key = std::max(last->key, now);
        }
    }
    dirty_.clear();
    relegend(shown);
    restyle();

    int peak = 1;
    for (const auto& [socket, line] : lines_)
        peak = std::max(peak, line.peak);
    plot_->yAxis->setRange(0, peak + 1);
    time_->follow(now);
    hint_->setVisible(lines_.empty());
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void CountPlot::rerank(SocketId socket) {
    const SocketState* state = session_.state().socket(socket);
    if (!state || state->countHistory.empty())
        return; // never observed: nothing to draw yet
    const int count = state->count + state->inFlight;
    auto [it, added] = rankedCount_.try_emplace(socket, count);
    if (!added) {
        if (it->second == count)
            return;
        ranking_.erase({it->second, socket});
        it->second = count;
    }
    ranking_.insert({count, socket});
}

std::vector<SocketId> CountPlot::socketsToShow() const {
    std::vector<SocketId> shown;
    for (auto it = ranking_.begin(); it != ranking_.end() && int(shown.size()) < kMaxLines; ++it)
        shown.push_back(it->second);
    if (rankedCount_.count(selected_) &&
        std::find(shown.begin(), shown.end(), selected_) == shown.end())
        shown.push_back(selected_);
    return shown;
}

void CountPlot::fill(SocketId socket, Line& line, double now) {
    const SocketState& state = *session_.state().socket(socket);
    const SessionClock clock(session_.visibleEntries());
    QVector<double> keys;
    QVector<double> values;
    keys.reserve(qsizetype(state.countHistory.size()) + 1);
    values.reserve(keys.capacity());
    line.peak = 0;
    for (const CountPoint& point : state.countHistory) {
        keys.push_back(clock.seconds(point.timeUs));
        values.push_back(point.count);
        line.peak = std::max(line.peak, point.count);
    }
    // A step line ends at its last point: carry an open socket's count on to now (a point
    // that later refreshes slide along as time passes).
    line.trailing = state.open;
    if (line.trailing) {
        keys.push_back(std::max(now, keys.back()));
        values.push_back(values.back());
    }
    line.graph->setData(keys, values, true);
    line.graph->setName(legendName(state));
    fillWithoutDescriptor(state, clock, now, *line.withoutDescriptor);
}

void CountPlot::restyle() {
    for (auto& [socket, line] : lines_) {
        const bool selected = socket == selected_;
        QColor color = colorOf(socket);
        if (selected_.valid() && !selected)
            color.setAlpha(150); // let the selected socket stand out
        line.graph->setPen(QPen(color, selected ? 3.0 : 1.6));
        line.withoutDescriptor->setPen(QPen(color, selected ? 5.0 : 3.5, Qt::DotLine));
        line.graph->setLayer(selected ? QStringLiteral("selected") : QStringLiteral("main"));
        if (QCPPlottableLegendItem* item = plot_->legend->itemWithPlottable(line.graph)) {
            QFont font = plot_->legend->font();
            font.setBold(selected);
            item->setFont(font);
        }
    }
}

void CountPlot::relegend(const std::vector<SocketId>& shown) {
    // Busiest first, the selected one (if it is not among them) last, then the note.
    if (shown != legendOrder_) {
        plot_->legend->clearItems();
        for (SocketId socket : shown)
            lines_.at(socket).graph->addToLegend();
        legendOrder_ = shown;
    }
    const int hidden = int(ranking_.size()) - int(shown.size());
    if (hidden > 0) {
        more_->setName(tr("+ %n more sockets, not drawn (only the %1 busiest are)", nullptr, hidden)
                           .arg(kMaxLines));
        more_->addToLegend(); // appends once; a no-op while it is there
    } else {
        more_->removeFromLegend();
    }
}

} // namespace socklens::ui
