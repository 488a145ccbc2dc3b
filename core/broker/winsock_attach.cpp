// Winsock: attaching read-only to a Windows program of the prefix that is not a helper, the
// counterpart of the Linux attach (foreign_backend.cpp). A running helper lists the prefix's
// processes and reads the program's socket handles through copies it closes at once; the
// sockets get a lineage of their own (or the one of a socket the session already holds through
// that handle), and from then on the system handle table names their holders and counts them
// (winsock_holders.cpp), as for any process that is not a helper.
#include "broker/broker.h"
#include "broker/broker_error.h"
#include "broker/descriptor_replies.h"
#include "broker/winsock_backend.h"

#include <algorithm>

namespace socklens::broker {

namespace {

constexpr const char* kReadAgain = "read the socket handles of an attached Windows process";
// Each reading copies every handle of the process into the helper: not every tick.
constexpr std::chrono::milliseconds kAttachedReadInterval{1000};
constexpr std::chrono::milliseconds kTableAllowance{12000};

std::string limitsOf(const std::string& reader) {
    return "read through copies of its socket handles in " + reader +
           " (DuplicateHandle, closed at once, never counted): type, local and peer address, "
           "listening, TCP state and the inherit flag; its options, its WSAEventSelect / "
           "WSAAsyncSelect registrations and the WSASocket flags it made them with are not read "
           "(Winsock has no call to read them for another process)";
}

} // namespace

std::vector<protocol::ListedProcess> WinsockBackend::windowsProcesses(const std::string& command) {
    const std::optional<ProcessId> reader = holders_.reader();
    if (!reader || !wine_)
        context_.session.fail(command, {}, "no-reader",
                              "no Winsock helper is running to read the Wine prefix's processes: "
                              "start one first");
    const platform::ReceivedFrame frame = context_.helpers.request(
        *reader, protocol::ListProcessSockets{0, 0}, command, {}, kTableAllowance);
    std::vector<protocol::ListedProcess> processes =
        replyAs<protocol::ProcessSocketsReply>(context_.helpers, *reader, frame, command).processes;
    std::erase_if(processes, [&](const protocol::ListedProcess& p) {
        return holders_.isHelper(p.pid); // commanded, not attached
    });
    return processes;
}

ProcessId WinsockBackend::attach(std::int64_t windowsPid, const std::string& command) {
    BrokerSession& session = context_.session;
    if (windowsPid <= 0)
        session.fail(command, {}, "invalid-target",
                     std::to_string(windowsPid) + " is not a Windows process id");
    if (holders_.isHelper(windowsPid))
        session.fail(command, {}, "already-in-session",
                     "Windows pid " + std::to_string(windowsPid) +
                         " is a helper of this session already");
    if (!holders_.reader() || !wine_)
        session.fail(command, {}, "no-reader",
                     "no Winsock helper is running to read the Wine prefix: start one first");
    readAttached(windowsPid, command);
    return attached_.at(windowsPid);
}

void WinsockBackend::readAttached(std::int64_t pid, const std::string& command) {
    BrokerSession& session = context_.session;
    const ProcessId reader = *holders_.reader();
    const platform::ReceivedFrame frame = context_.helpers.request(
        reader, protocol::ListProcessSockets{0, pid}, command, {}, kTableAllowance);
    const auto reply =
        replyAs<protocol::ProcessSocketsReply>(context_.helpers, reader, frame, command);
    holders_.journalNotes(reply.notes);
    const auto listed =
        std::find_if(reply.processes.begin(), reply.processes.end(),
                     [&](const protocol::ListedProcess& p) { return p.pid == pid; });
    const auto known = attached_.find(pid);
    if (listed == reply.processes.end()) {
        if (known == attached_.end())
            session.fail(command, {}, "no-such-process",
                         "no process with Windows pid " + std::to_string(pid) +
                             " is running in the Wine prefix " + wine_->prefix);
        if (const ProcessState* process = session.state().process(known->second);
            process && process->alive)
            session.record(entry::ProcessExited{known->second, "no longer running"});
        attached_.erase(known);
        return;
    }

    ProcessId id;
    if (known != attached_.end()) {
        id = known->second;
    } else {
        id = holders_.processFor(pid, listed->image, wine_->prefix);
        attached_[pid] = id;
        session.record(entry::ProcessAttached{id, "Windows pid " + std::to_string(pid) + " (Wine)",
                                              limitsOf(session.label(reader))});
    }
    for (const protocol::ForeignSocket& held : reply.sockets) {
        const DescriptorRef ref{id, Handle(held.handle)};
        const DescriptorState* descriptor = session.state().descriptor(ref);
        const bool open = descriptor && descriptor->open;
        // A handle the handle table already named (a copy of a session socket) keeps its socket.
        protocol::SocketDescription described = held.socket;
        described.identity =
            open ? session.state().socket(descriptor->socket)->identity : lineage_.mint();
        const SocketId socket = session.identify(described);
        if (!open) {
            lineage_.bind(ref, described.identity, 0);
            session.record(entry::DescriptorOpened{ref, socket, DescriptorOrigin::Observed});
        }
    }
}

void WinsockBackend::readAttachedAgain() {
    const auto now = std::chrono::steady_clock::now();
    if (attached_.empty() || now < nextAttachedRead_ || !holders_.reader())
        return;
    nextAttachedRead_ = now + kAttachedReadInterval;
    std::vector<std::int64_t> pids;
    for (const auto& [pid, id] : attached_)
        pids.push_back(pid);
    for (const std::int64_t pid : pids) {
        try {
            readAttached(pid, kReadAgain);
        } catch (const BrokerError&) {
            // Journaled as the command's failure; the next reading tries again.
        }
    }
}

} // namespace socklens::broker
