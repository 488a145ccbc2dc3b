#include "models/null_commands.h"

namespace socklens::ui {

std::optional<QString> NullCommands::refusal() const {
    return tr("This is a recorded session: it has no live helpers to command. Commands run in "
              "the live window.");
}

std::optional<QString> NullCommands::winsockUnavailable() const {
    return refusal();
}

void NullCommands::refuse() {
    Q_EMIT refused(*refusal());
}

void NullCommands::spawnHelper(const QString&, Platform) {
    refuse();
}
void NullCommands::spawnHelperWithSocket(const QString&, SocketKind) {
    refuse();
}
void NullCommands::createSocket(ProcessId, SocketKind) {
    refuse();
}
void NullCommands::duplicate(const DescriptorRef&, ProcessId) {
    refuse();
}
void NullCommands::handOff(const DescriptorRef&, ProcessId) {
    refuse();
}
void NullCommands::setOption(const DescriptorRef&, SocketOption, std::int64_t) {
    refuse();
}
void NullCommands::registerEvents(const DescriptorRef&, EventMask) {
    refuse();
}
void NullCommands::send(const DescriptorRef&, const QByteArray&) {
    refuse();
}
void NullCommands::receive(const DescriptorRef&) {
    refuse();
}
void NullCommands::close(const DescriptorRef&) {
    refuse();
}
void NullCommands::attach(const broker::AttachTarget&) {
    refuse();
}

void NullCommands::listWindowsProcesses() {
    Q_EMIT windowsProcessesListed({}, {}, *refusal());
}

void NullCommands::deepRead(ProcessId) {
    refuse();
}

void NullCommands::killHelper(ProcessId) {
    refuse();
}
void NullCommands::startInheritingChild(ProcessId) {
    refuse();
}
void NullCommands::probe(SocketId) {
    refuse();
}
void NullCommands::runScenario(scenario::Scenario) {
    refuse();
}
void NullCommands::setTickInterval(std::chrono::milliseconds) {} // nothing ticks here

} // namespace socklens::ui
