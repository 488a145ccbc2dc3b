// The seeds' ten-step handoff between two Winsock helpers (C1, C9, C11), what the broker does
// when the protocol info is offered a second time (C8), and WSADuplicateSocket towards a process
// id no helper stands for (C12).
#include "broker/broker.h"
#include "broker/labels.h"
#include "broker/protocol_info.h"

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

} // namespace

DescriptorRef Broker::duplicateByProtocolInfo(DuplicationId id, const DescriptorRef& source,
                                              ProcessId target, const std::string& command) {
    const SocketState& shared = *state_.socket(state_.descriptor(source)->socket);
    const std::uint64_t identity = shared.identity;
    const std::string lineage = identityText(identity);
    const std::uint32_t sourceFlags = lineage_.flagsOf(source);
    const std::uint32_t targetFlags = protocol::wsaImportFlags(sourceFlags);
    auto step = [&](std::int32_t number, const char* actor, std::string text,
                    std::string detail = {}) {
        record(entry::HandoffStep{id, number, actor, std::move(text), std::move(detail)});
    };

    step(1, "source",
         describeDescriptor(state_, source) + " holds a " + shared.kind + " socket " +
             shared.local + (shared.peer.empty() ? "" : " -> " + shared.peer) + ", made with " +
             describeWsaFlags(sourceFlags),
         lineage);
    step(2, "broker", "ask " + processLabel(state_, target) + " for its Windows process id");
    const auto hello = request(target, protocol::Hello{}, command);
    const std::int64_t targetPid = std::get<protocol::HelloReply>(hello.message).pid;
    step(3, "target", "the target answers: Windows pid " + std::to_string(targetPid));
    step(4, "source", "the source side receives the target's pid " + std::to_string(targetPid));

    protocol::DuplicateForProcess duplicate;
    duplicate.handle = source.handle.value();
    duplicate.targetPid = targetPid;
    const auto exported = request(source.process, duplicate, command);
    const std::vector<std::uint8_t> info =
        std::get<protocol::ProtocolInfoReply>(exported.message).protocolInfo;
    step(5, "source",
         "WSADuplicateSocket(" + socketText(source.handle.value()) + ", " +
             std::to_string(targetPid) + ") fills a WSAPROTOCOL_INFOW of " +
             std::to_string(info.size()) + " bytes for the target",
         protocolInfoDetail(info));
    // The handle for the target exists from here on, before the target calls WSASocket:
    // the object manager's HandleCount shows it.
    record(entry::ReferenceInFlight{id, shared.id});
    observe();

    protocol::ImportProtocolInfo import;
    import.protocolInfo = info;
    import.wsaFlags = targetFlags;
    const std::uint32_t importId = sendRequest(target, import, command, {});
    protocolInfos_[id] = ProtocolInfoUse{info, {}, targetFlags};
    step(6, "broker",
         "the broker passes the " + std::to_string(info.size()) + " bytes to " +
             processLabel(state_, target) + "; it lets them be used this once (C8)",
         hexBytes(info));

    const auto imported = awaitReply(target, importId, command);
    const std::vector<DescriptorRef> refs = adoptAll(target, imported, "duplicated", identity);
    if (refs.size() != 1)
        throw BrokerError(processLabel(state_, target) + " did not report the imported descriptor");
    protocolInfos_[id].result = refs.front();
    const std::string made = socketText(refs.front().handle.value());
    step(7, "target",
         "WSASocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, " +
             wsaFlagNames(targetFlags) + ") in the target returns " + made +
             " (C9: the source's socket was made with " + describeWsaFlags(sourceFlags) + ")");
    step(8, "target", "the target holds " + made + " for the same socket", lineage);
    return refs.front();
}

std::vector<std::uint8_t> Broker::duplicateForPid(const DescriptorRef& source, OsPid pid) {
    const std::string command = "WSADuplicateSocket(" + describeDescriptor(state_, source) +
                                ", pid " + std::to_string(pid.value()) + ")";
    record(entry::CommandIssued{command});
    const SocketId socket = openDescriptor(source, command).socket;
    const DuplicationId id(nextDuplication_++);
    record(entry::DuplicationStarted{id, socket, source, ProcessId(),
                                     DuplicationMechanism::WsaDuplicateSocket, false});
    protocol::DuplicateForProcess duplicate;
    duplicate.handle = source.handle.value();
    duplicate.targetPid = pid.value();
    try {
        const auto reply = request(source.process, duplicate, command);
        const std::vector<std::uint8_t> info =
            std::get<protocol::ProtocolInfoReply>(reply.message).protocolInfo;
        record(entry::HandoffStep{id, 5, "source",
                                  "WSADuplicateSocket(" + socketText(source.handle.value()) + ", " +
                                      std::to_string(pid.value()) +
                                      ") fills a WSAPROTOCOL_INFOW of " +
                                      std::to_string(info.size()) + " bytes",
                                  protocolInfoDetail(info)});
        record(entry::DuplicationFinished{id, DescriptorRef(),
                                          "no helper runs as pid " + std::to_string(pid.value()) +
                                              " to import it"});
        observe();
        return info;
    } catch (const BrokerError& error) {
        record(entry::DuplicationFinished{id, DescriptorRef(), error.what()});
        throw;
    }
}

void Broker::reuseProtocolInfo(const DescriptorRef& duplicated) {
    const std::string command =
        "use the WSAPROTOCOL_INFO that made " + describeDescriptor(state_, duplicated) + " again";
    record(entry::CommandIssued{command});
    const auto use = std::find_if(protocolInfos_.begin(), protocolInfos_.end(),
                                  [&](const auto& u) { return u.second.result == duplicated; });
    if (use == protocolInfos_.end())
        fail(command, {}, "no-protocol-info",
             describeDescriptor(state_, duplicated) +
                 " was not made from a WSAPROTOCOL_INFO: only a duplication between two "
                 "Winsock helpers makes one");
    const std::string duplication = "D" + std::to_string(use->first.value());
    const ProcessId target = duplicated.process;
    if (!helpers_.contains(target))
        fail(command, {}, "helper-gone",
             processLabel(state_, target) +
                 " is not running any more: there is no process left to use it");

    // The broker will refuse; first it asks the platform itself, so its answer is on record.
    protocol::ImportProtocolInfo probe;
    probe.protocolInfo = use->second.bytes;
    probe.wsaFlags = use->second.wsaFlags;
    probe.probe = 1;
    const ProcessState& process = *state_.process(target);
    std::string platformSays;
    try {
        const auto reply = request(target, probe, command + " (asking the platform)");
        const auto& described = std::get<protocol::DescriptorsReply>(reply.message).descriptors;
        const std::int64_t handle = described.empty() ? -1 : described.front().handle;
        const std::string observed =
            process.osVersion + " accepted it: WSASocket(FROM_PROTOCOL_INFO) succeeded again in " +
            process.name + " and returned " + socketText(handle) +
            (handle == duplicated.handle.value()
                 ? ", the same SOCKET the first use made (no new handle)"
                 : ", a new SOCKET, which the helper closed at once");
        record(entry::Disagreement{"the WSAPROTOCOL_INFO of duplication " + duplication + " (C8)",
                                   "usable once, as WSADuplicateSocket's documentation says",
                                   observed});
        platformSays = "The platform itself does not enforce this: " + observed + ".";
    } catch (const BrokerError& error) {
        platformSays = "The platform refuses it too: " + std::string(error.what()) + ".";
    }
    observe();
    fail(command, {}, "already-used",
         "the broker lets each WSAPROTOCOL_INFO be used once (C8): the one of duplication " +
             duplication + " already made " + describeDescriptor(state_, duplicated) +
             ", so a second use is refused. " + platformSays);
}

} // namespace socklens::broker
