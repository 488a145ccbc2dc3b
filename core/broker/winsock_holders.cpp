#include "broker/winsock_holders.h"

#include "broker/broker_error.h"
#include "broker/descriptor_replies.h"
#include "broker/wine_linux_pid.h"
#include "model/socket_identity.h"

#include <algorithm>
#include <chrono>

namespace socklens::broker {

namespace {

constexpr const char* kCommand = "read the system handle table";
constexpr std::chrono::milliseconds kHandleTableAllowance{12000};

entry::Inheritance inheritanceOf(std::uint8_t flag) {
    return flag ? entry::Inheritance::Inheritable : entry::Inheritance::NotInheritable;
}

} // namespace

std::optional<ProcessId> WinsockHolders::reader() const {
    const State& state = context_.session.state();
    for (const ProcessId id : context_.helpers.ids()) {
        const ProcessState* process = state.process(id);
        if (process && process->alive && process->platform == Platform::WinsockWine)
            return id;
    }
    return std::nullopt;
}

bool WinsockHolders::isHelper(std::int64_t pid) const {
    const State& state = context_.session.state();
    const std::vector<ProcessId> helpers = context_.helpers.ids();
    return std::any_of(helpers.begin(), helpers.end(), [&](ProcessId id) {
        const ProcessState* process = state.process(id);
        return process && process->alive && process->platform == Platform::WinsockWine &&
               process->pid.value() == pid;
    });
}

void WinsockHolders::journalNotes(const std::vector<std::string>& notes) {
    for (const std::string& note : notes)
        if (noted_.insert(note).second)
            context_.session.record(entry::Problem{note});
}

ProcessId WinsockHolders::processFor(std::int64_t pid, const std::string& image,
                                     const std::string& winePrefix) {
    BrokerSession& session = context_.session;
    const State& state = session.state();
    for (const auto& [id, process] : state.processes)
        if (process.alive && process.platform == Platform::WinsockWine &&
            process.pid.value() == pid)
            return id;
    std::set<std::int64_t> told; // the Linux pids of the session's Wine processes
    for (const auto& [known, process] : state.processes)
        if (process.alive && process.linuxPid.value() > 0)
            told.insert(process.linuxPid.value());
    const ProcessId id = session.newProcess();
    session.record(entry::ProcessStarted{id,
                                         OsPid(pid),
                                         image.empty() ? "(no image name)" : image,
                                         Platform::WinsockWine,
                                         false,
                                         {},
                                         wineLinuxPid(winePrefix, image, told).value_or(OsPid())});
    return id;
}

WinsockHolders::Table WinsockHolders::observe(const std::string& winePrefix,
                                              const std::set<SocketId>& search) {
    Table table;
    BrokerSession& session = context_.session;
    if (broken_)
        return table;

    // One handle of each open Winsock socket, held by a process still running.
    std::vector<protocol::HandleReference> references;
    std::vector<SocketId> referenced;
    for (const auto& [id, refs] : session.open().bySocket()) {
        const SocketState* socket = session.state().socket(id);
        if (!socket || !socket->open || !isLineageIdentity(socket->identity))
            continue;
        // Every handle for its inherit flag; the first also searched for, when asked.
        bool searched = !search.contains(id);
        for (const DescriptorRef& ref : refs) {
            const ProcessState* process = session.state().process(ref.process);
            if (process && process->alive) {
                references.push_back(
                    {process->pid.value(), ref.handle.value(), std::uint8_t(searched ? 0 : 1)});
                referenced.push_back(id);
                searched = true;
            }
        }
    }
    if (references.empty())
        return table;
    const std::optional<ProcessId> asked = reader();
    if (!asked) {
        journalNotes({"no Winsock helper is running to read the system handle table: handles "
                      "that processes other than helpers hold are not followed until one runs"});
        return table;
    }

    protocol::HoldersReply reply;
    try {
        // Wine walks every handle of every process of the prefix for this: on a loaded machine
        // that takes seconds, so it gets more time than a command.
        const platform::ReceivedFrame frame = context_.helpers.request(
            *asked, protocol::ListHolders{0, references}, kCommand, {}, kHandleTableAllowance);
        reply = replyAs<protocol::HoldersReply>(context_.helpers, *asked, frame, kCommand);
    } catch (const BrokerError& error) {
        // Said once: a platform that cannot list its handles will not learn to in this session.
        broken_ = error.what();
        session.record(entry::Problem{"the holders of Winsock sockets outside the helpers are not "
                                      "shown: " +
                                      *broken_});
        return table;
    }
    if (reply.handleCounts.size() != references.size() ||
        std::any_of(reply.holders.begin(), reply.holders.end(), [&](const auto& held) {
            return held.reference >= references.size() || held.handle < 0;
        }))
        context_.helpers.refuse(*asked, kCommand,
                                "answered ListHolders with holders or counts of handles it was "
                                "not asked about");
    journalNotes(reply.notes);
    table.read = true;

    std::map<std::int64_t, std::string> images;
    std::set<std::int64_t> running;
    for (const protocol::ListedProcess& process : reply.processes) {
        images[process.pid] = process.image;
        running.insert(process.pid);
    }
    for (std::size_t r = 0; r < references.size(); ++r)
        if (references[r].search)
            table.sockets[referenced[r]].handleCount = reply.handleCounts[r];

    for (const protocol::HeldHandle& held : reply.holders) {
        table.inheritance[{held.pid, held.handle}] = inheritanceOf(held.inheritable);
        if (!references[held.reference].search)
            continue; // only looked up
        const SocketId socket = referenced[held.reference];
        // A helper's own SOCKETs are what it reports; a handle Wine made for a duplication the
        // helper has not imported yet is counted as pending, not as a holder.
        if (isHelper(held.pid))
            continue;
        const ProcessId process = processFor(held.pid, images[held.pid], winePrefix);
        const DescriptorRef ref{process, Handle(held.handle)};
        const DescriptorState* known = session.state().descriptor(ref);
        if (!known || !known->open || known->socket != socket) {
            if (known && known->open)
                session.record(entry::DescriptorClosed{ref, DescriptorEnd::ObservedReused});
            session.record(entry::DescriptorOpened{ref, socket, DescriptorOrigin::Observed});
        }
        table.sockets[socket].outside.push_back(entry::Holder{
            process, OsPid(held.pid), Handle(held.handle), inheritanceOf(held.inheritable)});
    }
    journalGone(table, running);
    return table;
}

void WinsockHolders::journalGone(const Table& table, const std::set<std::int64_t>& running) {
    BrokerSession& session = context_.session;
    const State& state = session.state();
    std::vector<ProcessId> ended;
    std::vector<DescriptorRef> gone;
    for (const auto& [id, process] : state.processes) {
        if (process.helper || !process.alive || process.platform != Platform::WinsockWine)
            continue;
        if (!running.contains(process.pid.value())) {
            ended.push_back(id);
            continue;
        }
        for (const auto& [handle, socket] : session.open().of(id)) {
            const auto seen = table.sockets.find(socket);
            const bool held = seen != table.sockets.end() &&
                              std::any_of(seen->second.outside.begin(), seen->second.outside.end(),
                                          [owner = id, fd = handle](const entry::Holder& h) {
                                              return h.process == owner && h.handle == fd;
                                          });
            if (!held)
                gone.push_back(DescriptorRef{id, handle});
        }
    }
    for (const DescriptorRef& ref : gone)
        session.record(entry::DescriptorClosed{ref, DescriptorEnd::ObservedGone});
    for (const ProcessId id : ended)
        session.record(entry::ProcessExited{id, "no longer running"});
}

} // namespace socklens::broker
