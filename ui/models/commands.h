// What a user can ask of a session, one method per command. The Engine carries them out on
// its broker thread; a session opened from a file gets NullCommands, which refuses each one
// with a sentence. Views and actions hold a Commands&, never the broker: what a command did
// comes back only through the journal.
#pragma once

#include "broker/attach_target.h"
#include "model/ids.h"
#include "model/socket_vocabulary.h"
#include "scenario/scenario.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <chrono>
#include <cstdint>
#include <optional>

namespace socklens::ui {

class Commands : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    /// Why no command can run here (a recorded session), or nothing when they can.
    virtual std::optional<QString> refusal() const = 0;
    /// Why a Winsock helper cannot start here, or nothing when it can.
    virtual std::optional<QString> winsockUnavailable() const = 0;
    /// What "New helper" starts: the session's backend (Linux unless told Winsock).
    virtual Platform defaultPlatform() const = 0;

    virtual void spawnHelper(const QString& name, Platform platform) = 0;
    /// A helper of defaultPlatform() with a first socket of `kind` in it: the app's start-up
    /// session.
    virtual void spawnHelperWithSocket(const QString& name, SocketKind kind) = 0;
    virtual void createSocket(ProcessId process, SocketKind kind) = 0;
    virtual void duplicate(const DescriptorRef& source, ProcessId target) = 0;
    virtual void handOff(const DescriptorRef& source, ProcessId target) = 0;
    virtual void setOption(const DescriptorRef& descriptor, SocketOption option,
                           std::int64_t value) = 0;
    virtual void registerEvents(const DescriptorRef& descriptor, EventMask mask) = 0;
    virtual void send(const DescriptorRef& descriptor, const QByteArray& bytes) = 0;
    virtual void receive(const DescriptorRef& descriptor) = 0;
    virtual void close(const DescriptorRef& descriptor) = 0;
    virtual void killHelper(ProcessId process) = 0;
    /// Attaches read-only to the processes `target` selects (a pid, a tree, a port's holders).
    virtual void attach(const broker::AttachTarget& target) = 0;
    /// Reads every option and owner of an attached process through pidfd_getfd copies closed
    /// at once (the user confirmed it).
    virtual void deepRead(ProcessId process) = 0;
    /// Lists the Windows processes of the Wine prefix that are not helpers (a running Winsock
    /// helper reads them); the answer comes as windowsProcessesListed.
    virtual void listWindowsProcesses() = 0;
    /// `parent` starts a child that holds what it inherits (all its inheritable handles).
    virtual void startInheritingChild(ProcessId parent) = 0;
    /// The peer of `socket` sends one byte, so the timeline shows who the OS notifies.
    virtual void probe(SocketId socket) = 0;
    virtual void runScenario(scenario::Scenario scenario) = 0;
    virtual void setTickInterval(std::chrono::milliseconds interval) = 0;

Q_SIGNALS:
    void scenarioFinished(bool passed, const QString& summary);
    /// A command was not carried out: `sentence` says why (for the message bar).
    void refused(const QString& sentence);
    /// The prefix's Windows processes (pids and image names, in step), or why they could not
    /// be listed (`why` not empty).
    void windowsProcessesListed(const QList<qint64>& pids, const QStringList& images,
                                const QString& why);
};

} // namespace socklens::ui
