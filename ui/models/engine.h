// Runs the broker on a thread of its own, so the GUI never waits for a helper. Commands
// are queued to that thread; what they do comes back only through the journal, in batches,
// into the Session on the GUI thread.
#pragma once

#include "broker/broker.h"
#include "models/commands.h"
#include "scenario/scenario.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace socklens::ui {

class Session;

class Engine final : public Commands {
    Q_OBJECT
public:
    Engine(Session& session, broker::BrokerOptions options, QObject* parent = nullptr);
    ~Engine() override;

    /// What the broker was started with, its helper paths filled in.
    const broker::BrokerOptions& brokerOptions() const { return options_; }

    std::optional<QString> refusal() const override { return std::nullopt; }
    std::optional<QString> winsockUnavailable() const override;
    Platform defaultPlatform() const override { return options_.backend; }

    void spawnHelper(const QString& name, Platform platform) override;
    void spawnHelperWithSocket(const QString& name, SocketKind kind) override;
    void createSocket(ProcessId process, SocketKind kind) override;
    void duplicate(const DescriptorRef& source, ProcessId target) override;
    void handOff(const DescriptorRef& source, ProcessId target) override;
    void setOption(const DescriptorRef& descriptor, SocketOption option,
                   std::int64_t value) override;
    void registerEvents(const DescriptorRef& descriptor, EventMask mask) override;
    void send(const DescriptorRef& descriptor, const QByteArray& bytes) override;
    void receive(const DescriptorRef& descriptor) override;
    void close(const DescriptorRef& descriptor) override;
    void killHelper(ProcessId process) override;
    void attach(const broker::AttachTarget& target) override;
    void deepRead(ProcessId process) override;
    void listWindowsProcesses() override;
    void startInheritingChild(ProcessId parent) override;
    void probe(SocketId socket) override;
    void runScenario(scenario::Scenario scenario) override;
    void setTickInterval(std::chrono::milliseconds interval) override;

    /// Waits, processing GUI events, until every command posted so far has run and its
    /// entries are in the Session. For tests and --screenshot. Returns false on timeout.
    bool waitIdle(std::chrono::milliseconds bound);

private:
    /// Benchmarks build sessions of tens of thousands of sockets straight on the broker.
    friend struct EngineBenchAccess;

    using Command = std::function<void(broker::Broker&)>;
    /// Runs `command` on the engine thread. A BrokerError it throws is journaled (and so
    /// reaches the message bar); nothing else is reported back.
    void post(Command command);
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
