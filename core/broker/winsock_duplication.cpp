// The seeds' ten-step handoff between two Winsock helpers (C1, C9, C11), what the broker does
// when the protocol info is offered a second time (C8), and WSADuplicateSocket towards a process
// id no helper stands for (C12).
#include "broker/broker_error.h"
#include "broker/descriptor_replies.h"
#include "broker/protocol_info.h"
#include "broker/winsock_backend.h"

#include <algorithm>

namespace socklens::broker {

namespace {

std::string socketText(std::int64_t handle) {
    return "SOCKET " + std::to_string(handle);
}

/// The protocol info, decoded and in hex, for a handoff step's detail.
std::string protocolInfoDetail(const std::vector<std::uint8_t>& bytes) {
    return describeProtocolInfo(bytes) + "\n" + std::to_string(bytes.size()) + " bytes:\n" +
           hexBytes(bytes);
}

// A WSAPROTOCOL_INFOW is 628 bytes; anything far from that is not one.
constexpr std::size_t kMaxProtocolInfoSize = 4096;

} // namespace

std::vector<std::uint8_t> WinsockBackend::protocolInfoOf(ProcessId process,
                                                         const platform::ReceivedFrame& reply,
                                                         const std::string& command) {
    const auto& info =
        replyAs<protocol::ProtocolInfoReply>(context_.helpers, process, reply, command)
            .protocolInfo;
    if (info.empty() || info.size() > kMaxProtocolInfoSize)
        context_.helpers.refuse(process, command,
                                "answered WSADuplicateSocket with " + std::to_string(info.size()) +
                                    " bytes, which is no WSAPROTOCOL_INFO");
    return info;
}

DescriptorRef WinsockBackend::duplicateAcross(DuplicationId id, const DescriptorRef& source,
                                              ProcessId target, const std::string& command) {
    BrokerSession& session = context_.session;
    HelperSet& helpers = context_.helpers;
    const State& state = session.state();
    const SocketState& shared = *state.socket(state.descriptor(source)->socket);
    const std::uint64_t identity = shared.identity;
    const std::string lineage = identityText(identity);
    const std::uint32_t sourceFlags = lineage_.flagsOf(source);
    const std::uint32_t targetFlags = protocol::wsaImportFlags(sourceFlags);
    const HandoffSteps step{session, id};

    step(1, HandoffActor::Source,
         session.describe(source) + " holds a " + shared.kind + " socket " + shared.local +
             (shared.peer.empty() ? "" : " -> " + shared.peer) + ", made with " +
             describeWsaFlags(sourceFlags),
         lineage);
    const std::int64_t targetPid = step.askTargetPid(helpers, target, command, "Windows pid");

    protocol::DuplicateForProcess duplicate;
    duplicate.handle = source.handle.value();
    duplicate.targetPid = targetPid;
    const auto exported = helpers.request(source.process, duplicate, command);
    const std::vector<std::uint8_t> info = protocolInfoOf(source.process, exported, command);
    step(5, HandoffActor::Source,
         "WSADuplicateSocket(" + socketText(source.handle.value()) + ", " +
             std::to_string(targetPid) + ") fills a WSAPROTOCOL_INFOW of " +
             std::to_string(info.size()) + " bytes for the target",
         protocolInfoDetail(info));
    // The handle for the target exists from here on, before the target calls WSASocket:
    // the object manager's HandleCount shows it.
    session.record(entry::ReferenceInFlight{id, shared.id});
    context_.observe();

    protocol::ImportProtocolInfo import;
    import.protocolInfo = info;
    import.wsaFlags = targetFlags;
    const std::uint32_t importId = helpers.send(target, import, command);
    protocolInfos_[id] = ProtocolInfoUse{info, {}, targetFlags};
    step(6, HandoffActor::Broker,
         "the broker passes the " + std::to_string(info.size()) + " bytes to " +
             session.label(target) + "; it lets them be used this once (C8)",
         hexBytes(info));

    const auto imported = helpers.await(target, importId, command);
    const std::vector<DescriptorRef> refs = adoptReply(context_, *this, target, imported, command,
                                                       DescriptorOrigin::Duplicated, 1, identity);
    protocolInfos_[id].result = refs.front();
    const std::string made = socketText(refs.front().handle.value());
    step(7, HandoffActor::Target,
         "WSASocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, " +
             wsaFlagNames(targetFlags) + ") in the target returns " + made +
             " (C9: the source's socket was made with " + describeWsaFlags(sourceFlags) + ")");
    step(8, HandoffActor::Target, "the target holds " + made + " for the same socket", lineage);
    return refs.front();
}

std::vector<std::uint8_t> WinsockBackend::duplicateForPid(const DescriptorRef& source, OsPid pid) {
    BrokerSession& session = context_.session;
    const std::string command = "WSADuplicateSocket(" + session.describe(source) + ", pid " +
                                std::to_string(pid.value()) + ")";
    session.record(entry::CommandIssued{command});
    const SocketId socket = sessionDescriptorOf(context_, source, command).socket;
    const DuplicationId id = session.newDuplication();
    session.record(entry::DuplicationStarted{id, socket, source, ProcessId(),
                                             DuplicationMechanism::WsaDuplicateSocket, false});
    protocol::DuplicateForProcess duplicate;
    duplicate.handle = source.handle.value();
    duplicate.targetPid = pid.value();
    try {
        const auto reply = context_.helpers.request(source.process, duplicate, command);
        const std::vector<std::uint8_t> info = protocolInfoOf(source.process, reply, command);
        session.record(
            entry::HandoffStep{id, 5, HandoffActor::Source,
                               "WSADuplicateSocket(" + socketText(source.handle.value()) + ", " +
                                   std::to_string(pid.value()) + ") fills a WSAPROTOCOL_INFOW of " +
                                   std::to_string(info.size()) + " bytes",
                               protocolInfoDetail(info)});
        session.record(entry::DuplicationFinished{
            id, DescriptorRef(),
            "no helper runs as pid " + std::to_string(pid.value()) + " to import it"});
        context_.observe();
        return info;
    } catch (const BrokerError& error) {
        session.record(entry::DuplicationFinished{id, DescriptorRef(), error.what()});
        throw;
    }
}

void WinsockBackend::reuseProtocolInfo(const DescriptorRef& duplicated) {
    BrokerSession& session = context_.session;
    const State& state = session.state();
    const std::string command =
        "use the WSAPROTOCOL_INFO that made " + session.describe(duplicated) + " again";
    session.record(entry::CommandIssued{command});
    const auto use = std::find_if(protocolInfos_.begin(), protocolInfos_.end(),
                                  [&](const auto& u) { return u.second.result == duplicated; });
    if (use == protocolInfos_.end())
        session.fail(command, {}, "no-protocol-info",
                     session.describe(duplicated) +
                         " was not made from a WSAPROTOCOL_INFO: only a duplication between two "
                         "Winsock helpers makes one");
    const std::string duplication = "D" + std::to_string(use->first.value());
    const ProcessId target = duplicated.process;
    if (!context_.helpers.contains(target))
        session.fail(command, {}, "helper-gone",
                     session.label(target) +
                         " is not running any more: there is no process left to use it");

    // The broker will refuse; first it asks the platform itself, so its answer is on record.
    protocol::ImportProtocolInfo probe;
    probe.protocolInfo = use->second.bytes;
    probe.wsaFlags = use->second.wsaFlags;
    probe.probe = 1;
    const ProcessState& process = *state.process(target);
    std::string platformSays;
    try {
        const std::string asking = command + " (asking the platform)";
        const auto reply = context_.helpers.request(target, probe, asking);
        const auto& described =
            replyAs<protocol::DescriptorsReply>(context_.helpers, target, reply, asking)
                .descriptors;
        const std::int64_t handle = described.empty() ? -1 : described.front().descriptor.handle;
        const std::string observed =
            process.osVersion + " accepted it: WSASocket(FROM_PROTOCOL_INFO) succeeded again in " +
            process.name + " and returned " + socketText(handle) +
            (handle == duplicated.handle.value()
                 ? ", the same SOCKET the first use made (no new handle)"
                 : ", a new SOCKET, which the helper closed at once");
        session.record(entry::Disagreement{
            "the WSAPROTOCOL_INFO of duplication " + duplication + " (C8)",
            "usable once, as WSADuplicateSocket's documentation says", observed});
        platformSays = "Refused by socklens; " + process.osVersion +
                       " accepted the reuse (divergence): " + observed + ". ";
    } catch (const BrokerError& error) {
        platformSays =
            "Refused by socklens, and by the platform too: " + std::string(error.what()) + ". ";
    }
    context_.observe();
    session.fail(command, {}, "already-used",
                 platformSays +
                     "The broker lets each WSAPROTOCOL_INFO be used once (C8): the one of "
                     "duplication " +
                     duplication + " already made " + session.describe(duplicated) + ".");
}

} // namespace socklens::broker
