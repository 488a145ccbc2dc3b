#include "broker/winsock_backend.h"

#include "broker/broker.h"
#include "broker/broker_error.h"

#include <algorithm>

namespace socklens::broker {

std::string WinsockBackend::startCommand(const std::string& name) const {
    return "start Winsock helper " + name + " (wine " + context_.options.winsockHelperPath + ")";
}

std::unique_ptr<HelperConnection> WinsockBackend::startHelper() {
    const std::string& exe = context_.options.winsockHelperPath;
    if (const std::optional<std::string> why = winsockUnavailable(exe))
        throw BrokerError(*why);
    if (!wine_)
        wine_ = prepareWine(exe, [this](const std::string& text) {
            context_.session.record(entry::CommandIssued{text}); // the long wait comes first
            if (context_.options.progress)
                context_.options.progress(text);
        });
    HelperLaunch launch;
    launch.what = "the Winsock helper";
    launch.file = exe;
    launch.mustExecute = false; // Wine runs it
    // Wine reads and writes the channel as its standard input and output.
    launch.child = ChildSpec{wine_->wine, {wine_->wine, exe}, {}, wine_->variables()};
    launch.channelFds = {0, 1};
    launch.carriesDescriptors = false;
    // Wine's first start in a session starts its server and loads the prefix.
    launch.startupAllowance = std::chrono::seconds(30);
    return HelperConnection::spawn(launch);
}

std::uint64_t WinsockBackend::adopt(const DescriptorRef& descriptor,
                                    const protocol::DescriptorDescription& described,
                                    std::optional<std::uint64_t> copyOf) {
    const std::uint64_t identity = copyOf ? *copyOf : lineage_.mint();
    lineage_.bind(descriptor, identity, described.wsaFlags);
    return identity;
}

std::string WinsockBackend::inProcessCopyText(std::int64_t copy) const {
    return "WSADuplicateSocket and WSASocket(FROM_PROTOCOL_INFO) inside the process give "
           "SOCKET " +
           std::to_string(copy) + " for the same socket";
}

void WinsockBackend::reading(const DescriptorRef& descriptor, SocketId socket,
                             const protocol::DescriptorObservation& seen) {
    const ProcessState* process = context_.session.state().process(descriptor.process);
    readings_.holders[socket].push_back(
        entry::Holder{descriptor.process, process->pid, descriptor.handle});
    // Every handle names the same object: the first one read gives its count.
    readings_.handleCounts.emplace(socket, seen.handleCount);
}

void WinsockBackend::journalVanished(const std::set<ProcessId>& answered) {
    BrokerSession& session = context_.session;
    // Descriptors believed open that their helper did not report any more.
    std::vector<DescriptorRef> vanished;
    for (const ProcessId process : answered) {
        for (const auto& [handle, socket] : session.open().of(process)) {
            const DescriptorRef believed{process, handle};
            const auto holders = readings_.holders.find(socket);
            const bool seen = holders != readings_.holders.end() &&
                              std::any_of(holders->second.begin(), holders->second.end(),
                                          [&](const entry::Holder& h) {
                                              return DescriptorRef{h.process, h.handle} == believed;
                                          });
            if (!seen)
                vanished.push_back(believed);
        }
    }
    for (const DescriptorRef& ref : vanished) {
        session.record(entry::Disagreement{session.describe(ref), "open",
                                           "not among the SOCKETs its helper holds"});
        session.record(entry::DescriptorClosed{ref, DescriptorEnd::ObservedGone});
    }
}

std::set<SocketId> WinsockBackend::toSearch() const {
    // Where the helpers' SOCKETs (and handles made for targets) explain HandleCount, and no
    // outside holder is followed, there is nobody else to find.
    const BrokerSession& session = context_.session;
    const State& state = session.state();
    std::set<SocketId> search;
    for (const auto& [id, socket] : state.sockets) {
        if (!socket.open || !isLineageIdentity(socket.identity))
            continue;
        const auto count = readings_.handleCounts.find(id);
        const auto held = readings_.holders.find(id);
        const std::size_t helpers = held == readings_.holders.end() ? 0 : held->second.size();
        const std::set<DescriptorRef>& open = session.open().of(id);
        const bool outside = std::any_of(open.begin(), open.end(), [&](const DescriptorRef& d) {
            const ProcessState* process = state.process(d.process);
            return process && !process->helper;
        });
        if (outside || count == readings_.handleCounts.end() ||
            count->second > helpers + std::size_t(session.inFlightOf(id)))
            search.insert(id);
    }
    return search;
}

void WinsockBackend::afterReadings(const std::set<ProcessId>& answered) {
    if (!wine_) // only a session that started a Winsock helper has Winsock sockets
        return;
    journalVanished(answered);
    readAttachedAgain(); // new sockets of attached programs are searched for holders at once
    BrokerSession& session = context_.session;
    const State& state = session.state();
    const WinsockHolders::Table table = holders_.observe(wine_->prefix, toSearch());
    for (const auto& [id, socket] : state.sockets) {
        if (!socket.open || !isLineageIdentity(socket.identity))
            continue;
        // A helper that did not answer this time may hold the only handle, and a process that is
        // not a helper is seen only in the handle table: no reading of them, no count.
        const std::set<DescriptorRef>& open = session.open().of(id);
        if (std::any_of(open.begin(), open.end(), [&](const DescriptorRef& d) {
                const ProcessState* process = state.process(d.process);
                return process && (process->helper ? !answered.contains(d.process) : !table.read);
            }))
            continue;
        const auto seen = table.sockets.find(id);
        const WinsockHolders::Seen* found = seen == table.sockets.end() ? nullptr : &seen->second;
        // Read by a helper holding it, else through an outside holder's handle; neither: no
        // handle is left to read HandleCount through, so zero is a conclusion, journaled as one.
        const auto count = readings_.handleCounts.find(id);
        const std::int32_t handles =
            count != readings_.handleCounts.end() ? std::int32_t(count->second)
            : found && found->handleCount         ? std::int32_t(*found->handleCount)
                                                  : 0;
        std::vector<entry::Holder> holders;
        if (const auto read = readings_.holders.find(id); read != readings_.holders.end())
            holders = read->second;
        for (entry::Holder& holder : holders)
            if (const auto flag =
                    table.inheritance.find({holder.pid.value(), holder.handle.value()});
                flag != table.inheritance.end())
                holder.inheritance = flag->second;
        if (found)
            holders.insert(holders.end(), found->outside.begin(), found->outside.end());
        std::sort(holders.begin(), holders.end());
        // Unchanged, unless the count fell to zero without an entry saying so (a helper's
        // death drops its holdings in the state at once): then the socket is closed now.
        if (!socket.countHistory.empty() && socket.count == handles && socket.holders == holders &&
            handles != 0)
            continue;
        // WSADuplicateSocket makes the target's handle before the target calls WSASocket.
        const std::int32_t pending = session.inFlightOf(id);
        const std::int32_t expected = std::int32_t(holders.size()) + pending;
        if (handles != 0 && handles != expected)
            session.record(entry::Disagreement{
                "handles of socket S" + std::to_string(id.value()),
                std::to_string(expected) +
                    " (SOCKETs the helpers hold, handles found in other processes" +
                    (pending ? ", and handles made for targets that have not imported them" : "") +
                    ")",
                "HandleCount " + std::to_string(handles)});
        const bool inferred =
            count == readings_.handleCounts.end() && !(found && found->handleCount);
        session.record(entry::CountObserved{id, handles, 0, std::move(holders), inferred});
    }
}

} // namespace socklens::broker
