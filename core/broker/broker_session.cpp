#include "broker/broker_session.h"

#include "broker/broker_error.h"
#include "broker/labels.h"

#include <algorithm>

namespace socklens::broker {

BrokerSession::BrokerSession(JournalHistory history)
    : journal_(history) {
    // The state folds first, so later listeners see the state that includes their entry.
    journal_.addListener([this](const JournalEntry& entry) {
        apply(state_, entry);
        open_.follow(entry);
        follow(entry);
    });
}

void BrokerSession::follow(const JournalEntry& entry) {
    if (const auto* flying = std::get_if<entry::ReferenceInFlight>(&entry.payload))
        inFlight_[flying->duplication] = flying->socket;
    else if (const auto* finished = std::get_if<entry::DuplicationFinished>(&entry.payload))
        inFlight_.erase(finished->duplication);
}

const JournalEntry& BrokerSession::record(EntryPayload payload) {
    return journal_.append(std::move(payload));
}

void BrokerSession::fail(const std::string& command, const std::string& call,
                         const std::string& codeName, const std::string& sentence) {
    record(entry::CommandFailed{command, call, codeName, sentence});
    throw BrokerError(sentence, codeName, journal().lastSequence());
}

SocketId BrokerSession::identify(const protocol::SocketDescription& socket) {
    // Called for every descriptor of every observation: the entry is made only when journaled.
    if (std::optional<SocketId> known = state_.socketWithIdentity(socket.identity)) {
        const SocketState& current = *state_.socket(*known);
        if (current.tcpState != socket.tcpState || current.peer != socket.peer ||
            current.local != socket.local)
            record(socketIdentified(*known, socket));
        return *known;
    }
    const SocketId fresh(nextSocket_++);
    record(socketIdentified(fresh, socket));
    return fresh;
}

std::int32_t BrokerSession::inFlightOf(SocketId socket) const {
    return std::int32_t(std::count_if(inFlight_.begin(), inFlight_.end(),
                                      [&](const auto& flying) { return flying.second == socket; }));
}

std::string BrokerSession::label(ProcessId process) const {
    return processLabel(state_, process);
}

std::string BrokerSession::describe(const DescriptorRef& descriptor) const {
    return describeDescriptor(state_, descriptor);
}

entry::SocketIdentified socketIdentified(SocketId socket,
                                         const protocol::SocketDescription& described) {
    return entry::SocketIdentified{socket,
                                   described.identity,
                                   described.kind,
                                   std::int16_t(described.family),
                                   std::int16_t(described.type),
                                   std::int16_t(described.protocol),
                                   described.local,
                                   described.peer,
                                   described.tcpState};
}

} // namespace socklens::broker
