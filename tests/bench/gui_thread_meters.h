// What the GUI benchmark measures of the GUI thread: how long it is busy (BusyMeter) and with
// which events (BenchApplication).
#pragma once

#include "sample_statistics.h"

#include <QAbstractEventDispatcher>
#include <QApplication>
#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace socklens::bench {

/// Busy = from the event dispatcher's wake-up to its next "about to block", on the GUI thread.
/// Intervals are kept, so any window of the run can be cut into one-second bins afterwards.
class BusyMeter {
public:
    explicit BusyMeter(QAbstractEventDispatcher* dispatcher) {
        QObject::connect(dispatcher, &QAbstractEventDispatcher::awake, [this] {
            if (blocked_) {
                blocked_ = false;
                start_ = Clock::now();
            }
        });
        QObject::connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, [this] {
            if (!blocked_) {
                blocked_ = true;
                intervals_.emplace_back(start_, Clock::now());
            }
        });
    }

    struct Figures {
        double meanPercent = 0;
        double maxSecondPercent = 0; ///< the busiest one-second bin
        double p90SecondPercent = 0;
    };

    Figures over(Clock::time_point from, Clock::time_point to) const {
        const int bins = std::max(1, int(seconds(to - from)));
        std::vector<double> busy(std::size_t(bins), 0.0);
        double total = 0;
        for (const auto& [start, end] : intervals_) {
            const Clock::time_point a = std::max(start, from);
            const Clock::time_point b = std::min(end, to);
            if (b <= a)
                continue;
            total += seconds(b - a);
            // Spread the interval over the bins it covers.
            for (Clock::time_point t = a; t < b;) {
                const int bin = int(seconds(t - from));
                if (bin >= bins)
                    break;
                const Clock::time_point binEnd = from + std::chrono::duration_cast<Clock::duration>(
                                                            std::chrono::duration<double>(bin + 1));
                const Clock::time_point until = std::min(b, binEnd);
                busy[std::size_t(bin)] += seconds(until - t);
                t = until;
            }
        }
        std::vector<double> percents;
        for (double value : busy)
            percents.push_back(100 * value);
        return {100 * total / seconds(to - from),
                *std::max_element(percents.begin(), percents.end()),
                nearestRankPercentile(percents, 0.9)};
    }

private:
    bool blocked_ = false;
    Clock::time_point start_ = Clock::now();
    std::vector<std::pair<Clock::time_point, Clock::time_point>> intervals_;
};

/// Times every top-level event the GUI thread delivers, by receiver class and event type, so
/// the busy time can be attributed (a batch from the engine arrives as a MetaCall to Session).
class BenchApplication : public QApplication {
public:
    using QApplication::QApplication;

    struct Cost {
        double totalMs = 0;
        double maxMs = 0;
        std::size_t count = 0;
    };
    using Costs = std::map<std::string, Cost>;

    void startPhase() {
        costs_.clear();
        batchMs_.clear();
    }
    const Costs& costs() const { return costs_; }
    /// Each batch of journal entries the GUI applied (Session::append and everything that
    /// hangs off Session::changed, synchronously).
    const std::vector<double>& batchMs() const { return batchMs_; }
    /// When each batch began to be applied, over the whole run.
    const std::vector<Clock::time_point>& batchStarts() const { return batchStarts_; }
    void setSession(const QObject* session) { session_ = session; }

    bool notify(QObject* receiver, QEvent* event) override {
        if (depth_ > 0) {
            ++depth_;
            const bool result = QApplication::notify(receiver, event);
            --depth_;
            return result;
        }
        const int type = int(event->type());
        const bool batch = receiver == session_ && event->type() == QEvent::MetaCall;
        const std::string key =
            std::string(receiver->metaObject()->className()) + " / " + eventName(type);
        const Clock::time_point start = Clock::now();
        if (batch)
            batchStarts_.push_back(start);
        ++depth_;
        const bool result = QApplication::notify(receiver, event);
        --depth_;
        const double elapsed = ms(Clock::now() - start);
        Cost& cost = costs_[key];
        cost.totalMs += elapsed;
        cost.maxMs = std::max(cost.maxMs, elapsed);
        ++cost.count;
        if (batch)
            batchMs_.push_back(elapsed);
        return result;
    }

private:
    static std::string eventName(int type) {
        switch (QEvent::Type(type)) {
        case QEvent::MetaCall:
            return "MetaCall (queued call)";
        case QEvent::Timer:
            return "Timer";
        case QEvent::UpdateRequest:
            return "UpdateRequest (paint)";
        case QEvent::LayoutRequest:
            return "LayoutRequest";
        case QEvent::Paint:
            return "Paint";
        default:
            return "event " + std::to_string(type);
        }
    }

    int depth_ = 0;
    const QObject* session_ = nullptr;
    Costs costs_;
    std::vector<double> batchMs_;
    std::vector<Clock::time_point> batchStarts_;
};

} // namespace socklens::bench
