#include "broker/foreign_backend.h"

#include "broker/broker.h"
#include "broker/broker_error.h"
#include "broker/foreign_facts.h"
#include "platform/os_error.h"
#include "platform/posix/unique_fd.h"
#include "sysmap/map_changes.h"
#include "sysmap/proc_scan.h"

#include <algorithm>
#include <climits>
#include <sys/syscall.h>
#include <unistd.h>

namespace socklens::broker {

namespace {

using Clock = std::chrono::steady_clock;

// How often followed targets look for new processes: a tree needs every process's parent, a
// port every process's descriptors, which is more than a tick should cost.
constexpr std::chrono::milliseconds kDiscoveryInterval{500};

const sysmap::MapSocket* socketWithInode(const sysmap::MachineMap& map, std::uint64_t inode) {
    const auto found = std::lower_bound(map.sockets.begin(), map.sockets.end(), inode,
                                        [](const sysmap::MapSocket& socket, std::uint64_t wanted) {
                                            return socket.kernel.inode < wanted;
                                        });
    return found != map.sockets.end() && found->kernel.inode == inode ? &*found : nullptr;
}

/// Every process's pid and parent: enough for sysmap::processTree.
sysmap::MachineMap processParents() {
    sysmap::MachineMap map;
    for (const std::int64_t pid : sysmap::listProcesses())
        if (auto identity = sysmap::readProcessIdentity(pid))
            map.processes.push_back(std::move(*identity));
    return map;
}

} // namespace

ForeignBackend::ForeignBackend(BackendContext context, KernelBackend& counts)
    : context_(std::move(context))
    , counts_(counts) {}

std::unique_ptr<HelperConnection> ForeignBackend::startHelper() {
    throw BrokerError("an attached process is observed, not started by socklens", "read-only");
}

void ForeignBackend::failUnreadable(pid_t pid, const std::string& command) {
    // The kernel is asked, so a gone pid fails with the OS's own error (ESRCH, C12).
    const platform::UniqueFd pidFd(int(::syscall(SYS_pidfd_open, pid, 0)));
    if (!pidFd.valid()) {
        const platform::OsError error = platform::OsError::fromLastError("pidfd_open");
        context_.session.fail(command, error.call(), error.codeName(),
                              "no process with pid " + std::to_string(pid) +
                                  " is running: " + error.sentence());
    }
    context_.session.fail(command, {}, "unreadable",
                          "/proc/" + std::to_string(pid) + "/stat cannot be read");
}

std::vector<ProcessId> ForeignBackend::attach(const AttachTarget& target,
                                              const std::string& command) {
    BrokerSession& session = context_.session;
    const bool byPid =
        target.kind == AttachTarget::Kind::Pid || target.kind == AttachTarget::Kind::Tree;
    if (byPid) {
        if (target.value == 0 || target.value > std::uint64_t(INT_MAX))
            session.fail(command, {}, "invalid-target",
                         std::to_string(target.value) + " is not a process id");
        const auto identity = sysmap::readProcessIdentity(std::int64_t(target.value));
        if (!identity)
            failUnreadable(pid_t(target.value), command);
        if (identity->zombie)
            session.fail(command, {}, "no-such-process",
                         "pid " + std::to_string(target.value) +
                             " has exited; its parent has not reaped it yet");
        if (const auto known = session.state().processWithPid(OsPid(std::int64_t(target.value)));
            known && session.state().process(*known)->helper &&
            session.state().process(*known)->alive)
            session.fail(command, {}, "already-in-session",
                         session.label(*known) + " is a helper of this session already");
    }
    if (target.kind == AttachTarget::Kind::Port && (target.value == 0 || target.value > 65535))
        session.fail(command, {}, "invalid-target",
                     std::to_string(target.value) + " is not a port (1 to 65535)");
    if (target.kind == AttachTarget::Kind::Inode && target.value == 0)
        session.fail(command, {}, "invalid-target", "0 is not a socket inode");

    if (target.followed())
        targets_.push_back(target);
    const std::vector<std::int64_t> pids = select(target, false);
    if (pids.empty())
        session.record(entry::Problem{
            "no process this user may read holds a socket of " + target.text() +
            " now; processes that do later join the session (another user's processes are "
            "seen only when socklens runs as root)"});
    read();
    std::vector<ProcessId> joined;
    for (const std::int64_t pid : pids)
        if (const auto found = attached_.find(pid);
            found != attached_.end() && found->second.id.valid())
            joined.push_back(found->second.id);
    return joined;
}

std::vector<std::int64_t> ForeignBackend::select(const AttachTarget& target, bool news) {
    std::vector<std::int64_t> pids;
    switch (target.kind) {
    case AttachTarget::Kind::Pid:
        pids.push_back(std::int64_t(target.value));
        break;
    case AttachTarget::Kind::Tree:
        pids = sysmap::processTree(processParents(), {std::int64_t(target.value)});
        break;
    case AttachTarget::Kind::Port:
    case AttachTarget::Kind::Inode: {
        sysmap::MapFilter filter;
        if (target.kind == AttachTarget::Kind::Port)
            filter.port = std::uint16_t(target.value);
        else
            filter.inode = target.value;
        const sysmap::MachineMap map = sysmap::readMachineMap(filter, {1, false});
        for (const sysmap::MapSocket& socket : map.sockets)
            for (const sysmap::MapHolder& holder : socket.holders)
                pids.push_back(holder.pid);
        std::sort(pids.begin(), pids.end());
        pids.erase(std::unique(pids.begin(), pids.end()), pids.end());
        break;
    }
    case AttachTarget::Kind::WindowsPid: // the Winsock backend's (Broker::attach)
        break;
    }
    const State& state = context_.session.state();
    std::erase_if(pids, [&](std::int64_t pid) {
        const auto known = state.processWithPid(OsPid(pid));
        return known && state.process(*known)->helper; // helpers are commanded, not attached
    });
    for (const std::int64_t pid : pids) {
        const auto identity = sysmap::readProcessIdentity(pid);
        if (!identity || identity->zombie)
            continue;
        const auto found = attached_.find(pid);
        if (found != attached_.end() && found->second.startTime == identity->startTime)
            continue;
        attached_[pid] = Attached{identity->startTime, ProcessId(), target.text(), {}, news};
    }
    return pids;
}

void ForeignBackend::discover() {
    for (const AttachTarget& target : targets_)
        select(target, true);
}

void ForeignBackend::beforeReadings(const std::set<SocketId>&, std::size_t) {
    if (attached_.empty() && targets_.empty())
        return;
    const Clock::time_point now = Clock::now();
    if (!targets_.empty() && now >= nextDiscovery_) {
        nextDiscovery_ = now + kDiscoveryInterval;
        discover();
    }
    if (now >= nextRead_)
        read();
}

void ForeignBackend::read() {
    BrokerSession& session = context_.session;
    nextRead_ = Clock::now() + context_.options.tickInterval;
    if (attached_.empty()) { // all of them ended: nothing to compare the next ones with
        previous_ = {};
        readBefore_ = false;
        return;
    }
    // The kernel first, as the map does: a socket closed meanwhile then has no holder.
    sysmap::KernelSockets kernel = sysmap::readKernelSockets();
    sysmap::MachineScan scan;
    std::set<SocketId> changed;
    for (auto it = attached_.begin(); it != attached_.end();) {
        const std::int64_t pid = it->first;
        Attached& attached = it->second;
        const auto identity = sysmap::readProcessIdentity(pid);
        if (!identity || identity->zombie || identity->startTime != attached.startTime) {
            if (const ProcessState* process = session.state().process(attached.id);
                process && process->alive) {
                for (const auto& [handle, socket] : session.open().of(attached.id))
                    changed.insert(socket);
                session.record(entry::ProcessExited{attached.id, "no longer running"});
            }
            it = attached_.erase(it);
            continue;
        }
        sysmap::ProcessReadResult result =
            sysmap::readProcess(*identity, sysmap::FlagReading::Every);
        join(pid, attached, *identity,
             foreignLimits(pid, result.unreadable ? &result.unreadable->why : nullptr));
        if (result.reading)
            scan.processes.push_back(std::move(*result.reading));
        else if (result.unreadable)
            scan.unreadable.push_back(std::move(*result.unreadable));
        ++it;
    }

    // Only the sockets the attached processes hold are the session's.
    sysmap::KernelSockets held;
    for (const sysmap::ProcessReading& process : scan.processes)
        for (const sysmap::SocketDescriptor& descriptor : process.sockets)
            if (const sysmap::KernelSocket* socket = kernel.find(descriptor.inode))
                held.sockets.push_back(*socket);
    held.order();
    const sysmap::MachineScan readings = scan;
    sysmap::MachineMap map = sysmap::buildMachineMap(std::move(held), std::move(scan), {});

    std::vector<sysmap::MapChange> gained;
    if (readBefore_) {
        for (sysmap::MapChange& change : sysmap::diffMaps(previous_, map, {})) {
            if (change.kind != sysmap::MapChangeKind::HolderGained)
                continue;
            const bool wasRead = std::any_of(
                previous_.processes.begin(), previous_.processes.end(),
                [&](const sysmap::ProcessIdentity& p) { return p.pid == change.holder.pid; });
            const auto attached = attached_.find(change.holder.pid);
            if (wasRead || (attached != attached_.end() && attached->second.news))
                gained.push_back(std::move(change));
        }
    }
    for (const sysmap::ProcessReading& process : readings.processes)
        journalDescriptors(attached_.at(process.identity.pid).id, process, map, gained, changed);
    for (auto& [pid, attached] : attached_)
        attached.news = false;
    previous_ = std::move(map);
    readBefore_ = true;
    if (!changed.empty()) // counted by every holder on the machine, as helpers' sockets are
        counts_.beforeReadings(changed, 0);
}

ProcessId ForeignBackend::join(std::int64_t pid, Attached& attached,
                               const sysmap::ProcessIdentity& identity, const std::string& limits) {
    BrokerSession& session = context_.session;
    if (attached.id.valid()) {
        if (attached.limits != limits) {
            attached.limits = limits;
            session.record(entry::ProcessAttached{attached.id, attached.how, limits});
        }
        return attached.id;
    }
    const State& state = session.state();
    const std::optional<ProcessId> known = state.processWithPid(OsPid(pid));
    if (known && state.process(*known)->alive) {
        attached.id = *known; // found earlier holding a session socket
    } else {
        attached.id = session.newProcess();
        session.record(entry::ProcessStarted{
            attached.id, OsPid(pid), identity.command, Platform::Linux, false, {}});
    }
    attached.limits = limits;
    session.record(entry::ProcessAttached{attached.id, attached.how, limits});
    return attached.id;
}

void ForeignBackend::journalDescriptors(ProcessId process, const sysmap::ProcessReading& reading,
                                        const sysmap::MachineMap& map,
                                        const std::vector<sysmap::MapChange>& gained,
                                        std::set<SocketId>& changed) {
    BrokerSession& session = context_.session;
    const State& state = session.state();
    for (const sysmap::SocketDescriptor& descriptor : reading.sockets) {
        const sysmap::MapSocket* socket = socketWithInode(map, descriptor.inode);
        const SocketId id = session.identify(describeForeignSocket(descriptor.inode, socket));
        const DescriptorRef ref{process, Handle(descriptor.fd)};
        const DescriptorState* known = state.descriptor(ref);
        if (!known || !known->open || known->socket != id) {
            if (known && known->open) {
                changed.insert(known->socket);
                session.record(entry::DescriptorClosed{ref, DescriptorEnd::ObservedReused});
            }
            session.record(entry::DescriptorOpened{ref, id, DescriptorOrigin::Observed});
            changed.insert(id);
        }
        // The count source may have journaled the descriptor first; its provenance is ours.
        for (const sysmap::MapChange& change : gained)
            if (change.holder.pid == reading.identity.pid && change.holder.fd == descriptor.fd &&
                change.socket.inode == descriptor.inode &&
                state.descriptor(ref)->provenance.empty())
                session.record(entry::ProvenanceObserved{
                    ref, id, std::string(sysmap::toString(change.provenance)), change.evidence});
        const entry::DescriptorObserved observed =
            observeForeignDescriptor(ref, descriptor, reading, socket);
        const DescriptorState& now = *state.descriptor(ref);
        if (!now.observed || !sameReading(*now.observed, observed))
            session.record(observed);
        if (socket)
            journalBuffers(ref, *socket);
    }
    std::vector<DescriptorRef> vanished;
    for (const auto& [handle, socketId] : session.open().of(process)) {
        const auto found = std::lower_bound(
            reading.sockets.begin(), reading.sockets.end(), handle.value(),
            [](const sysmap::SocketDescriptor& d, std::int64_t fd) { return d.fd < fd; });
        if (found == reading.sockets.end() || found->fd != handle.value() ||
            found->inode != state.socket(socketId)->identity)
            vanished.push_back(DescriptorRef{process, handle});
    }
    for (const DescriptorRef& ref : vanished) {
        changed.insert(state.descriptor(ref)->socket);
        session.record(entry::DescriptorClosed{ref, DescriptorEnd::ObservedGone});
    }
}

void ForeignBackend::journalBuffers(const DescriptorRef& ref, const sysmap::MapSocket& socket) {
    const DescriptorState& descriptor = *context_.session.state().descriptor(ref);
    std::vector<OptionReading> changed;
    auto note = [&](SocketOption option, const std::optional<std::uint32_t>& value) {
        if (!value)
            return;
        const auto known = descriptor.options.find(option);
        if (known == descriptor.options.end() || known->second.value != std::int64_t(*value))
            changed.push_back(OptionReading{option, std::int64_t(*value), 0});
    };
    note(SocketOption::RcvBuf, socket.kernel.receiveBuffer);
    note(SocketOption::SndBuf, socket.kernel.sendBuffer);
    if (changed.size() == 1)
        context_.session.record(
            entry::OptionObserved{ref, changed[0].option, changed[0].value, changed[0].errorCode});
    else if (!changed.empty())
        context_.session.record(entry::OptionsObserved{ref, std::move(changed)});
}

} // namespace socklens::broker
