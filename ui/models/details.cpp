#include "models/details.h"

#include "models/text.h"
#include "sysmap/process_reading.h"

#include <QCoreApplication>
#include <pwd.h>
#include <sys/stat.h>

namespace socklens::ui {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("Details", text);
}

/// "A (pid 1001)", "P3" for a process the state does not name.
QString processText(const State& state, ProcessId id) {
    const ProcessState* process = state.process(id);
    if (!process)
        return QStringLiteral("P%1").arg(id.value());
    const QString name =
        process->name.empty() ? QStringLiteral("P%1").arg(id.value()) : qs(process->name);
    return tr("%1 (pid %2)").arg(name).arg(process->pid.value());
}

QString entryText(Sequence at) {
    return at.valid() ? QStringLiteral("#%1").arg(at.value()) : QString();
}

QString orDash(const std::string& text) {
    return text.empty() ? QStringLiteral("—") : qs(text);
}

/// Which descriptors of the state belong to `socket`, or to `process`, in key order.
template <class Keep>
std::vector<const DescriptorState*> descriptorsWhere(const State& state, Keep keep) {
    std::vector<const DescriptorState*> found;
    for (const auto& [ref, descriptor] : state.descriptors) {
        if (keep(descriptor))
            found.push_back(&descriptor);
    }
    return found;
}

QString descriptorStateText(const DescriptorState& descriptor) {
    if (descriptor.open)
        return tr("open");
    return descriptor.end ? tr("closed (%1)").arg(qs(toString(*descriptor.end))) : tr("closed");
}

DetailSection optionsSection(const State& state,
                             const std::vector<const DescriptorState*>& descriptors) {
    DetailSection options{tr("Options, through each descriptor"),
                          {tr("Option"), tr("Through"), tr("Value"), tr("Note")},
                          {},
                          tr("No option has been read yet.")};
    for (const SocketOption option : allSocketOptions()) {
        for (const DescriptorState* descriptor : descriptors) {
            const auto reading = descriptor->options.find(option);
            if (reading == descriptor->options.end())
                continue;
            const OptionValue& value = reading->second;
            QString note;
            if (value.errorCode != 0)
                note = tr("could not be read (error %1)").arg(value.errorCode);
            else if (value.requested && *value.requested != value.value)
                note = tr("asked for %1; the OS made it %2").arg(*value.requested).arg(value.value);
            else if (value.setThrough && *value.setThrough != descriptor->ref)
                note = tr("set through descriptor %1 of %2")
                           .arg(value.setThrough->handle.value())
                           .arg(processText(state, value.setThrough->process));
            else if (value.changedOutside)
                note = tr("changed outside this session");
            options.rows.push_back({qs(toString(option)),
                                    tr("descriptor %1 of %2")
                                        .arg(descriptor->ref.handle.value())
                                        .arg(processText(state, descriptor->ref.process)),
                                    value.errorCode != 0
                                        ? QStringLiteral("—")
                                        : qs(describeOptionValue(option, value.value)),
                                    note});
        }
    }
    return options;
}

QString ownerText(const State& state, const Registration& registration) {
    if (registration.owner.valid())
        return processText(state, registration.owner);
    if (registration.ownerPid.value() != 0)
        return tr("pid %1 (not in this session)").arg(registration.ownerPid.value());
    return tr("nobody");
}

DetailSection registrationSection(const State& state, const SocketState& socket) {
    DetailSection history{tr("FD_READ / FD_WRITE registration history"),
                          {tr("Entry"), tr("Held by"), tr("For"), tr("Through"), tr("Replaced")},
                          {},
                          tr("Nobody has registered for events on this socket.")};
    for (const RegistrationChange& change : socket.registrationHistory) {
        const Registration& registration = change.registration;
        const QString mask = change.observed          ? tr("? (read from the OS)")
                             : registration.mask == 0 ? tr("nothing (withdrawn)")
                                                      : qs(eventMaskToString(registration.mask));
        history.rows.push_back(
            {entryText(registration.at), ownerText(state, registration), mask,
             registration.through.process.valid()
                 ? tr("descriptor %1 of %2")
                       .arg(registration.through.handle.value())
                       .arg(processText(state, registration.through.process))
                 : QString(),
             change.cancelled ? ownerText(state, *change.cancelled) : QString()});
    }
    return history;
}

} // namespace

DetailSheet socketDetails(const State& state, SocketId id) {
    const SocketState* socket = state.socket(id);
    if (!socket)
        return {};
    DetailSheet sheet;
    sheet.push_back(
        {tr("Identity and state"),
         {tr("What"), tr("Value")},
         {
             {tr("Socket"), QStringLiteral("S%1").arg(id.value())},
             {tr("Kernel identity (inode / handle)"), QString::number(socket->identity)},
             {tr("Kind"), orDash(socket->kind)},
             {tr("Family, type, protocol"), QStringLiteral("%1, %2, %3")
                                                .arg(socket->family)
                                                .arg(socket->type)
                                                .arg(socket->protocol)},
             {tr("Local address"), orDash(socket->local)},
             {tr("Peer address"), orDash(socket->peer)},
             {tr("TCP state"), orDash(socket->tcpState)},
             {tr("State"), socket->open ? tr("open") : tr("closed")},
             {tr("Descriptors (read from the OS)"), QString::number(socket->count)},
             {tr("In flight (sent, not yet received)"), QString::number(socket->inFlight)},
         },
         {}});
    const auto descriptors = descriptorsWhere(
        state, [&](const DescriptorState& descriptor) { return descriptor.socket == id; });
    DetailSection held{tr("Descriptors, with their processes"),
                       {tr("Descriptor"), tr("Process"), tr("Opened"), tr("How"), tr("State")},
                       {},
                       tr("No descriptor of this socket is known.")};
    for (const DescriptorState* descriptor : descriptors) {
        held.rows.push_back({QString::number(descriptor->ref.handle.value()),
                             processText(state, descriptor->ref.process),
                             entryText(descriptor->openedAt), qs(toString(descriptor->origin)),
                             descriptorStateText(*descriptor)});
    }
    sheet.push_back(std::move(held));
    sheet.push_back(optionsSection(state, descriptors));
    sheet.push_back(registrationSection(state, *socket));
    return sheet;
}

ProcessOsFacts readProcessOsFacts(const ProcessState& process) {
    if (!process.alive)
        return {tr("(the process has ended: /proc no longer shows it)"), tr("(ended)")};
    if (process.platform != Platform::Linux)
        return {tr("(a Windows process under Wine: its PID is not a Linux pid)"),
                tr("(the user running Wine)")};
    const std::optional<sysmap::ProcessIdentity> identity =
        sysmap::readProcessIdentity(process.pid.value());
    if (!identity)
        return {tr("(pid %1 is gone from /proc)").arg(process.pid.value()), QString()};
    ProcessOsFacts facts;
    const sysmap::ProcessReadResult read =
        sysmap::readProcess(*identity, sysmap::FlagReading::None);
    facts.commandLine =
        read.reading
            ? qs(read.reading->commandLine)
            : tr("(not readable: %1)").arg(read.unreadable ? qs(read.unreadable->why) : tr("gone"));
    struct stat info {};
    const std::string path = "/proc/" + std::to_string(process.pid.value());
    if (::stat(path.c_str(), &info) == 0) {
        passwd entry{};
        passwd* found = nullptr;
        char buffer[1024];
        ::getpwuid_r(info.st_uid, &entry, buffer, sizeof buffer, &found);
        facts.user =
            found ? tr("%1 (uid %2)").arg(QString::fromLocal8Bit(found->pw_name)).arg(info.st_uid)
                  : tr("uid %1").arg(info.st_uid);
    }
    return facts;
}

DetailSheet processDetails(const State& state, ProcessId id, const ProcessOsFacts& facts) {
    const ProcessState* process = state.process(id);
    if (!process)
        return {};
    DetailSheet sheet;
    sheet.push_back(
        {tr("Process"),
         {tr("What"), tr("Value")},
         {
             {tr("Name"), orDash(process->name)},
             {tr("Session id"), QStringLiteral("P%1").arg(id.value())},
             {tr("OS pid"), QString::number(process->pid.value())},
             {tr("Platform"), qs(toString(process->platform))},
             {tr("Started by socklens"), process->helper ? tr("yes, a helper") : tr("no")},
             {tr("State"),
              process->alive ? tr("running") : tr("ended (%1)").arg(qs(process->exitReason))},
             {tr("Command line"), facts.commandLine},
             {tr("User"), facts.user},
         },
         {}});
    DetailSection descriptors{
        tr("Its descriptors"),
        {tr("Descriptor"), tr("Socket"), tr("Kind"), tr("Local"), tr("Peer"), tr("State")},
        {},
        tr("The process holds no descriptor known to this session.")};
    for (const DescriptorState* descriptor :
         descriptorsWhere(state, [&](const DescriptorState& d) { return d.ref.process == id; })) {
        const SocketState* socket = state.socket(descriptor->socket);
        descriptors.rows.push_back(
            {QString::number(descriptor->ref.handle.value()),
             QStringLiteral("S%1").arg(descriptor->socket.value()),
             socket ? orDash(socket->kind) : QString(), socket ? orDash(socket->local) : QString(),
             socket ? orDash(socket->peer) : QString(), descriptorStateText(*descriptor)});
    }
    sheet.push_back(std::move(descriptors));
    return sheet;
}

} // namespace socklens::ui
