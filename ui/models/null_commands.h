// The commands of a session opened from a file: there is no broker and no thread behind
// them, so each one is refused with a sentence.
#pragma once

#include "models/commands.h"

namespace socklens::ui {

class NullCommands final : public Commands {
    Q_OBJECT
public:
    using Commands::Commands;

    std::optional<QString> refusal() const override;
    std::optional<QString> winsockUnavailable() const override;
    Platform defaultPlatform() const override { return Platform::Linux; }

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

private:
    void refuse();
};

} // namespace socklens::ui
