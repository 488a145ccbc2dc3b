// Runs the broker on a thread of its own, so the GUI never waits for a helper. Commands
// are queued to that thread; what they do comes back only through the journal, in batches,
// into the Session on the GUI thread.
#pragma once

#include "broker/broker.h"
#include "scenario/scenario.h"

#include <QObject>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace socklens::ui {

class Session;

class Engine : public QObject {
    Q_OBJECT
public:
    Engine(Session& session, broker::BrokerOptions options, QObject* parent = nullptr);
    ~Engine() override;

    using Command = std::function<void(broker::Broker&)>;
    /// Runs `command` on the engine thread. A BrokerError it throws is journaled (and so
    /// reaches the message bar); nothing else is reported back.
    void post(Command command);
    /// What the broker was started with, its helper paths filled in.
    const broker::BrokerOptions& brokerOptions() const { return options_; }

    void spawnHelper(const QString& name);
    void createSocket(ProcessId process, SocketKind kind);
    void duplicate(const DescriptorRef& source, ProcessId target);
    void handOff(const DescriptorRef& source, ProcessId target);
    void setOption(const DescriptorRef& descriptor, SocketOption option, std::int64_t value);
    void registerEvents(const DescriptorRef& descriptor, EventMask mask);
    void send(const DescriptorRef& descriptor, const QByteArray& bytes);
    void receive(const DescriptorRef& descriptor);
    void close(const DescriptorRef& descriptor);
    void killHelper(ProcessId process);
    /// The peer of `socket` sends one byte, so the timeline shows who the OS notifies.
    void probe(SocketId socket);
    void runScenario(scenario::Scenario scenario);
    void setTickInterval(std::chrono::milliseconds interval);

    /// Waits, processing GUI events, until every command posted so far has run and its
    /// entries are in the Session. For tests and --screenshot. Returns false on timeout.
    bool waitIdle(std::chrono::milliseconds bound);

Q_SIGNALS:
    void scenarioFinished(bool passed, const QString& summary);

private:
    void run(broker::BrokerOptions options);
    void flush();

    Session& session_;
    const broker::BrokerOptions options_;
    std::mutex mutex_;
    std::deque<Command> commands_;
    bool stopping_ = false;
    int wakeFd_ = -1;
    // Engine thread only: entries not yet handed to the GUI, and when they last were.
    std::vector<JournalEntry> pending_;
    std::chrono::steady_clock::time_point lastFlush_;
    /// Entries handed to the GUI thread and not yet in the Session. Shared with the queued
    /// calls, which may run after the engine is gone.
    struct Backlog {
        std::mutex mutex;
        std::condition_variable drained;
        std::size_t entries = 0;
        bool closing = false;
    };
    std::shared_ptr<Backlog> backlog_ = std::make_shared<Backlog>();
    std::thread thread_;
};

} // namespace socklens::ui
