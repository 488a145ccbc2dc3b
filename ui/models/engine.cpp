#include "models/engine.h"

#include "broker/wine_environment.h"
#include "model/probe_sender.h"
#include "models/session.h"
#include "models/text.h"
#include "scenario/scenario_runner.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QMetaObject>
#include <QThread>
#include <sys/eventfd.h>
#include <unistd.h>

namespace socklens::ui {

namespace {
// Entries reach the GUI at most this often while a long command (a scenario) runs.
constexpr auto kBatchInterval = std::chrono::milliseconds(30);
// The engine waits while the GUI has this many entries still to fold: a burst (the first
// observation of a large session) must not queue a second copy of the journal in memory.
constexpr std::size_t kMaxBacklog = 32768;

/// Last resort on the engine thread: an exception the broker did not turn into a sentence
/// becomes one in the journal (and so in the message bar); the thread goes on.
void reportUnexpected(broker::Broker& broker, const std::exception& error) {
    broker.journal().append(entry::Problem{
        std::string("the engine stopped a command after an unexpected error: ") + error.what()});
}

} // namespace

Engine::Engine(Session& session, broker::BrokerOptions options, QObject* parent)
    : Commands(parent)
    , session_(session)
    , options_(broker::withDefaultPaths(std::move(options)))
    , wakeFd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK))
    , thread_([this] { run(options_); }) {}

Engine::~Engine() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    {
        std::lock_guard lock(backlog_->mutex);
        backlog_->closing = true;
    }
    backlog_->drained.notify_all();
    const std::uint64_t one = 1;
    (void)::write(wakeFd_, &one, sizeof one);
    thread_.join(); // the broker ends its helpers as it goes
    ::close(wakeFd_);
}

void Engine::post(Command command) {
    {
        std::lock_guard lock(mutex_);
        commands_.push_back(std::move(command));
    }
    const std::uint64_t one = 1;
    (void)::write(wakeFd_, &one, sizeof one);
}

void Engine::run(broker::BrokerOptions options) {
    options.journalHistory = JournalHistory::ListenersOnly; // the Session keeps what it is sent
    broker::Broker broker(std::move(options));
    broker.setWakeFd(wakeFd_);
    lastFlush_ = std::chrono::steady_clock::now();
    broker.journal().addListener([this](const JournalEntry& entry) {
        pending_.push_back(entry);
        if (std::chrono::steady_clock::now() - lastFlush_ >= kBatchInterval)
            flush();
    });
    // What an observation found reaches the GUI as one batch, as soon as it is complete.
    broker.addObservationListener([this] { flush(); });
    for (;;) {
        std::deque<Command> commands;
        {
            std::lock_guard lock(mutex_);
            if (stopping_)
                break;
            commands.swap(commands_);
        }
        std::uint64_t drained;
        (void)::read(wakeFd_, &drained, sizeof drained);
        for (Command& command : commands) {
            try {
                command(broker);
            } catch (const broker::BrokerError& error) {
                const JournalEntry* last = broker.journal().lastEntry();
                if (!last || !std::holds_alternative<entry::CommandFailed>(last->payload))
                    broker.journal().append(entry::Problem{error.what()});
            } catch (const std::exception& error) {
                reportUnexpected(broker, error);
            }
        }
        flush();
        if (commands.empty()) {
            try {
                broker.pump(std::chrono::milliseconds(500)); // ticks; ends early on a command
            } catch (const std::exception& error) {
                reportUnexpected(broker, error);
            }
        }
    }
    flush();
}

void Engine::flush() {
    lastFlush_ = std::chrono::steady_clock::now();
    if (pending_.empty())
        return;
    const std::size_t count = pending_.size();
    {
        std::lock_guard lock(backlog_->mutex);
        backlog_->entries += count;
    }
    QMetaObject::invokeMethod(
        &session_,
        [session = &session_, entries = std::move(pending_), backlog = backlog_, count]() mutable {
            session->append(std::move(entries));
            {
                std::lock_guard lock(backlog->mutex);
                backlog->entries -= count;
            }
            backlog->drained.notify_all();
        },
        Qt::QueuedConnection);
    pending_.clear();
    std::unique_lock lock(backlog_->mutex);
    backlog_->drained.wait(
        lock, [this] { return backlog_->entries <= kMaxBacklog || backlog_->closing; });
}

bool Engine::waitIdle(std::chrono::milliseconds bound) {
    auto done = std::make_shared<std::atomic<bool>>(false);
    // Runs after every command posted before it; its own flush is queued behind theirs.
    post([this, done](broker::Broker&) {
        flush();
        QMetaObject::invokeMethod(
            &session_, [done] { *done = true; }, Qt::QueuedConnection);
    });
    QDeadlineTimer deadline(bound.count());
    while (!*done && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 50);
    return *done;
}

// ---- commands --------------------------------------------------------------------------

std::optional<QString> Engine::winsockUnavailable() const {
    if (const auto why = broker::winsockUnavailable(options_.winsockHelperPath))
        return qs(*why);
    return std::nullopt;
}

void Engine::spawnHelper(const QString& name, Platform platform) {
    post([name = name.toStdString(), platform](broker::Broker& broker) {
        broker.spawnHelper(name, platform);
    });
}

void Engine::spawnHelperWithSocket(const QString& name, SocketKind kind) {
    post([name = name.toStdString(), kind](broker::Broker& broker) {
        broker.createSocket(broker.spawnHelper(name), kind);
    });
}

void Engine::createSocket(ProcessId process, SocketKind kind) {
    post([=](broker::Broker& broker) { broker.createSocket(process, kind); });
}

void Engine::duplicate(const DescriptorRef& source, ProcessId target) {
    post([=](broker::Broker& broker) { broker.duplicate(source, target); });
}

void Engine::handOff(const DescriptorRef& source, ProcessId target) {
    post([=](broker::Broker& broker) { broker.handOff(source, target); });
}

void Engine::setOption(const DescriptorRef& descriptor, SocketOption option, std::int64_t value) {
    post([=](broker::Broker& broker) { broker.setOption(descriptor, option, value); });
}

void Engine::registerEvents(const DescriptorRef& descriptor, EventMask mask) {
    post([=](broker::Broker& broker) { broker.registerEvents(descriptor, mask); });
}

void Engine::send(const DescriptorRef& descriptor, const QByteArray& bytes) {
    post(
        [=, text = bytes.toStdString()](broker::Broker& broker) { broker.send(descriptor, text); });
}

void Engine::receive(const DescriptorRef& descriptor) {
    post([=](broker::Broker& broker) { broker.receive(descriptor, 64 * 1024); });
}

void Engine::close(const DescriptorRef& descriptor) {
    post([=](broker::Broker& broker) { broker.close(descriptor); });
}

void Engine::attach(const broker::AttachTarget& target) {
    post([=](broker::Broker& broker) { broker.attach(target); });
}

void Engine::listWindowsProcesses() {
    post([this](broker::Broker& broker) {
        QList<qint64> pids;
        QStringList images;
        QString why;
        try {
            for (const protocol::ListedProcess& process : broker.windowsProcesses()) {
                pids << process.pid;
                images << QString::fromStdString(process.image);
            }
        } catch (const broker::BrokerError& error) {
            why = QString::fromStdString(error.what()); // journaled too
        }
        // Emitted on the GUI thread, where the dialog asking lives.
        QMetaObject::invokeMethod(
            this, [this, pids, images, why] { Q_EMIT windowsProcessesListed(pids, images, why); },
            Qt::QueuedConnection);
    });
}

void Engine::deepRead(ProcessId process) {
    post([=](broker::Broker& broker) { broker.deepRead(process); });
}

void Engine::killHelper(ProcessId process) {
    post([=](broker::Broker& broker) { broker.killHelper(process); });
}

void Engine::startInheritingChild(ProcessId parent) {
    post([=](broker::Broker& broker) {
        const ProcessState* process = broker.state().process(parent);
        // Long enough to look at; it ends by itself, holding the port no longer.
        broker.startChild(parent, (process ? process->name : std::string("helper")) + "-child",
                          true, std::chrono::minutes(2));
    });
}

void Engine::probe(SocketId socket) {
    post([=](broker::Broker& broker) {
        const ProbeSender sender = probeSenderFor(broker.state(), socket);
        if (!sender.descriptor)
            throw broker::BrokerError(sender.whyNot);
        broker.send(*sender.descriptor, "?");
    });
}

void Engine::runScenario(scenario::Scenario scenario) {
    post([this, scenario = std::move(scenario)](broker::Broker& broker) mutable {
        const scenario::RunResult result =
            scenario::ScenarioRunner(broker, std::move(scenario)).run();
        flush(); // the last steps reach the views before the news that the run ended
        const QString summary = QString::fromStdString(
            result.passed ? std::string("every step passed") : result.firstFailure);
        // Queued with this engine as context: dropped if the engine is gone by then.
        QMetaObject::invokeMethod(
            this,
            [this, passed = result.passed, summary] { Q_EMIT scenarioFinished(passed, summary); },
            Qt::QueuedConnection);
    });
}

void Engine::setTickInterval(std::chrono::milliseconds interval) {
    post([=](broker::Broker& broker) { broker.setTickInterval(interval); });
}

} // namespace socklens::ui
