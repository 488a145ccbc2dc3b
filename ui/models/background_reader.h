// Reads the machine (/proc, sock_diag) on a thread of its own, so the GUI thread never waits
// for it, and hands the result back on the owner's thread. One read at a time: a refresh
// asked while one runs is skipped (the next tick asks again).
#pragma once

#include <QObject>
#include <QThread>
#include <functional>
#include <memory>
#include <thread>

namespace socklens::ui {

class BackgroundReader final : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    ~BackgroundReader() override {
        if (thread_.joinable())
            thread_.join(); // a read takes milliseconds; its result is then dropped
    }

    bool busy() const { return busy_; }

    /// Runs `work` off the GUI thread, then `done` with its result on this object's thread.
    /// Returns false (and runs nothing) while an earlier read is still running. `work` that
    /// throws gives a default-made result.
    template <class Result>
    bool run(std::function<Result()> work, std::function<void(Result)> done) {
        Q_ASSERT(thread() == QThread::currentThread());
        if (busy_)
            return false;
        if (thread_.joinable())
            thread_.join();
        busy_ = true;
        thread_ = std::thread([this, work = std::move(work), done = std::move(done)] {
            auto result = std::make_shared<Result>();
            try {
                *result = work();
            } catch (const std::exception&) {
                // nothing read: the view keeps what it showed and the next refresh tries again
            }
            QMetaObject::invokeMethod(
                this,
                [this, result, done] {
                    busy_ = false;
                    done(std::move(*result));
                },
                Qt::QueuedConnection);
        });
        return true;
    }

private:
    bool busy_ = false; ///< owner's thread only
    std::thread thread_;
};

} // namespace socklens::ui
