#include "broker/proc_fd_counts.h"

#include "model/socket_identity.h"
#include "sysmap/proc_scan.h"
#include "sysmap/process_reading.h"

#include <algorithm>
#include <climits>

namespace socklens::broker {

namespace {

bool countedHere(const SocketState* socket) {
    return socket && socket->open && !isLineageIdentity(socket->identity);
}

} // namespace

void ProcFdCounts::observe(const std::set<SocketId>& focus, std::size_t scanBudget) {
    const State& state = session_.state();
    // A command ran in the processes that hold the focus sockets, or held them until now:
    // every descriptor of those sockets, as the journal has them and as last read, is read
    // again now (its link), and a table whole where its descriptor count says more changed.
    for (const SocketId id : focus) {
        const SocketState* socket = state.socket(id);
        if (!socket || isLineageIdentity(socket->identity))
            continue;
        for (const DescriptorRef& ref : session_.open().of(id))
            tables_.markTouched(state.process(ref.process)->pid.value(), ref.handle.value());
        for (const sysmap::FdHolder& holder : tables_.holdersOf(socket->identity))
            tables_.markTouched(holder.pid, holder.fd);
    }
    // A tick checks every process's descriptor count (closes show within a slice); a
    // command's observation reads only the tables of the processes it ran in, so that it
    // costs what the command touched, not a system call per process of the machine.
    const sysmap::FdTablesRefresh refresh =
        focus.empty() ? tables_.refresh(scanBudget, true) : tables_.refreshStale();
    journalEnded(refresh);

    std::set<SocketId> recount;
    for (const SocketId id : focus) {
        if (countedHere(state.socket(id)))
            recount.insert(id);
    }
    for (const std::uint64_t inode : refresh.changedInodes) {
        if (const std::optional<SocketId> id = state.socketWithIdentity(inode);
            id && state.socket(*id)->open)
            recount.insert(*id);
    }
    for (const std::int64_t pid : refresh.reread)
        reconcile(pid, recount);
    lifetime_.recheck();
    recountSockets(recount);
}

void ProcFdCounts::journalEnded(const sysmap::FdTablesRefresh& refresh) {
    const State& state = session_.state();
    // Processes outside our helpers that held a socket and have since ended. (Helpers end
    // through HelperSet::drop(), which says why.)
    for (const std::int64_t pid : refresh.ended) {
        const std::optional<ProcessId> id = state.processWithPid(OsPid(pid));
        const ProcessState* process = id ? state.process(*id) : nullptr;
        if (process && !process->helper && process->alive)
            session_.record(entry::ProcessExited{*id, "no longer running"});
    }
    if (tables_.unreadableProcesses() != unreadableProcesses_) {
        unreadableProcesses_ = tables_.unreadableProcesses();
        if (unreadableProcesses_ > 0)
            session_.record(entry::Problem{
                std::to_string(unreadableProcesses_) +
                " processes' descriptor tables could not be read (they belong to other users); "
                "descriptors they hold are not counted. Run as root to see them."});
    }
}

void ProcFdCounts::recountSockets(const std::set<SocketId>& ids) {
    const State& state = session_.state();
    std::vector<std::pair<SocketId, entry::CountObserved>> changed;
    std::vector<SocketId> unheld;
    for (const SocketId id : ids) {
        const SocketState& socket = *state.socket(id);
        std::vector<entry::Holder> holders;
        for (const sysmap::FdHolder& found : tables_.holdersOf(socket.identity)) {
            const OsPid pid(found.pid);
            if (const std::optional<ProcessId> process = state.processWithPid(pid))
                holders.push_back(entry::Holder{*process, pid, Handle(found.fd)});
        }
        std::sort(holders.begin(), holders.end());
        const std::int32_t inFlight = session_.inFlightOf(id);
        const std::int32_t count = std::int32_t(holders.size());
        if (count + inFlight > 0)
            lifetime_.heldAgain(id);
        else if (socket.open && !socket.withoutDescriptor)
            unheld.push_back(id); // the kernel says whether it is gone
        if (socket.countHistory.empty() || socket.count != count || socket.inFlight != inFlight ||
            socket.holders != holders)
            changed.emplace_back(id, entry::CountObserved{id, count, inFlight, std::move(holders)});
    }
    lifetime_.lostLastDescriptor(unheld);
    for (auto& [id, count] : changed)
        session_.record(std::move(count));
}

void ProcFdCounts::journalCloseOnExec(std::int64_t pid, ProcessId process,
                                      const std::vector<std::int64_t>& fds) {
    // A process that is no helper (a helper's child) has no one to read its flags but /proc:
    // they are read as its descriptors are found, so its rows say which a program it starts
    // gets. A flag changed later in such a process is not seen.
    const std::vector<std::optional<sysmap::DescriptorFlags>> flags =
        sysmap::readDescriptorFlags(pid, fds);
    for (std::size_t i = 0; i < fds.size(); ++i) {
        if (!flags[i])
            continue; // closed since: the next reading of its table says so
        session_.record(entry::InheritanceObserved{
            DescriptorRef{process, Handle(fds[i])},
            flags[i]->closeOnExec ? Inheritance::NotInheritable : Inheritance::Inheritable});
    }
}

void ProcFdCounts::reconcile(std::int64_t pid, std::set<SocketId>& recount) {
    const State& state = session_.state();
    const std::span<const sysmap::SocketFd> table = tables_.socketsOf(pid);
    std::optional<ProcessId> process = state.processWithPid(OsPid(pid));
    if (process && !state.process(*process)->alive)
        process.reset();

    // Descriptors of session sockets the state does not know of.
    std::vector<std::int64_t> foundBesideHelpers;
    for (const sysmap::SocketFd& found : table) {
        const std::optional<SocketId> socket = state.socketWithIdentity(found.inode);
        if (!socket || !countedHere(state.socket(*socket)))
            continue;
        if (!process) {
            process = session_.newProcess();
            session_.record(entry::ProcessStarted{
                *process, OsPid(pid), sysmap::processName(pid), Platform::Linux, false, {}});
        }
        const DescriptorRef ref{*process, Handle(found.fd)};
        const DescriptorState* known = state.descriptor(ref);
        if (known && known->open && known->socket == *socket)
            continue;
        if (known && known->open) {
            recount.insert(known->socket);
            session_.record(entry::DescriptorClosed{ref, DescriptorEnd::ObservedReused});
        }
        if (state.process(*process)->helper)
            session_.record(entry::Disagreement{
                session_.describe(ref),
                "no descriptor of socket S" + std::to_string(socket->value()),
                "/proc/" + std::to_string(pid) + "/fd/" + std::to_string(found.fd) +
                    " -> socket:[" + std::to_string(found.inode) + "]"});
        session_.record(entry::DescriptorOpened{ref, *socket, DescriptorOrigin::Observed});
        recount.insert(*socket);
        if (!state.process(*process)->helper) // a helper reads its own with each observation
            foundBesideHelpers.push_back(found.fd);
    }
    if (!process)
        return;
    journalCloseOnExec(pid, *process, foundBesideHelpers);

    // Descriptors believed open that the table does not show any more.
    std::vector<DescriptorRef> vanished;
    for (const auto& [handle, socketId] : session_.open().of(*process)) {
        const SocketState& socket = *state.socket(socketId);
        if (!countedHere(&socket))
            continue;
        const auto at = std::lower_bound(
            table.begin(), table.end(), handle.value(),
            [](const sysmap::SocketFd& entry, std::int64_t fd) { return entry.fd < fd; });
        if (at == table.end() || at->fd != handle.value() || at->inode != socket.identity)
            vanished.push_back(DescriptorRef{*process, handle});
    }
    const bool helper = state.process(*process)->helper;
    for (const DescriptorRef& ref : vanished) {
        recount.insert(state.descriptor(ref)->socket);
        if (helper)
            session_.record(entry::Disagreement{session_.describe(ref), "open",
                                                "not in /proc/" + std::to_string(pid) + "/fd"});
        session_.record(entry::DescriptorClosed{ref, DescriptorEnd::ObservedGone});
    }
}

} // namespace socklens::broker
