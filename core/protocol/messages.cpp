#include "protocol/messages.h"

#include <type_traits>

namespace socklens::protocol {

MessageType typeOf(const Message& message) {
    return std::visit(
        [](const auto& alternative) { return std::remove_cvref_t<decltype(alternative)>::kType; },
        message);
}

std::string_view toString(MessageType type) {
    switch (type) {
    case MessageType::Hello:
        return "Hello";
    case MessageType::CreateSocket:
        return "CreateSocket";
    case MessageType::ExportDescriptor:
        return "ExportDescriptor";
    case MessageType::ImportDescriptor:
        return "ImportDescriptor";
    case MessageType::DupDescriptor:
        return "DupDescriptor";
    case MessageType::SetOption:
        return "SetOption";
    case MessageType::GetOption:
        return "GetOption";
    case MessageType::RegisterEvents:
        return "RegisterEvents";
    case MessageType::Send:
        return "Send";
    case MessageType::Receive:
        return "Receive";
    case MessageType::CloseDescriptor:
        return "CloseDescriptor";
    case MessageType::Observe:
        return "Observe";
    case MessageType::DuplicateForProcess:
        return "DuplicateForProcess";
    case MessageType::ImportProtocolInfo:
        return "ImportProtocolInfo";
    case MessageType::ListHolders:
        return "ListHolders";
    case MessageType::StartChild:
        return "StartChild";
    case MessageType::ListProcessSockets:
        return "ListProcessSockets";
    case MessageType::SetInheritable:
        return "SetInheritable";
    case MessageType::HelloReply:
        return "HelloReply";
    case MessageType::DescriptorsReply:
        return "DescriptorsReply";
    case MessageType::OptionReply:
        return "OptionReply";
    case MessageType::SendReply:
        return "SendReply";
    case MessageType::ReceiveReply:
        return "ReceiveReply";
    case MessageType::ObservationReply:
        return "ObservationReply";
    case MessageType::ProtocolInfoReply:
        return "ProtocolInfoReply";
    case MessageType::HoldersReply:
        return "HoldersReply";
    case MessageType::ProcessSocketsReply:
        return "ProcessSocketsReply";
    case MessageType::ChildReply:
        return "ChildReply";
    case MessageType::Failure:
        return "Failure";
    case MessageType::NetworkEvent:
        return "NetworkEvent";
    }
    // Reachable only for values cast from raw wire numbers that name no message.
    return "unknown message type";
}

std::uint32_t requestIdOf(const Message& message) {
    return std::visit(
        [](const auto& alternative) -> std::uint32_t {
            if constexpr (requires { alternative.requestId; })
                return alternative.requestId;
            else
                return 0;
        },
        message);
}

std::optional<ReplyShape> expectedReply(MessageType request) {
    switch (request) {
    case MessageType::Hello:
        return ReplyShape{MessageType::HelloReply};
    case MessageType::ExportDescriptor: // the exported descriptor itself, by SCM_RIGHTS
        return ReplyShape{MessageType::DescriptorsReply, 1};
    case MessageType::CreateSocket:
    case MessageType::ImportDescriptor:
    case MessageType::DupDescriptor:
    case MessageType::RegisterEvents:
    case MessageType::CloseDescriptor:
    case MessageType::SetInheritable:
    case MessageType::ImportProtocolInfo:
        return ReplyShape{MessageType::DescriptorsReply};
    case MessageType::SetOption:
    case MessageType::GetOption:
        return ReplyShape{MessageType::OptionReply};
    case MessageType::Send:
        return ReplyShape{MessageType::SendReply};
    case MessageType::Receive:
        return ReplyShape{MessageType::ReceiveReply};
    case MessageType::Observe:
        return ReplyShape{MessageType::ObservationReply};
    case MessageType::DuplicateForProcess:
        return ReplyShape{MessageType::ProtocolInfoReply};
    case MessageType::ListHolders:
        return ReplyShape{MessageType::HoldersReply};
    case MessageType::StartChild:
        return ReplyShape{MessageType::ChildReply};
    case MessageType::ListProcessSockets:
        return ReplyShape{MessageType::ProcessSocketsReply};
    case MessageType::HelloReply:
    case MessageType::DescriptorsReply:
    case MessageType::OptionReply:
    case MessageType::SendReply:
    case MessageType::ReceiveReply:
    case MessageType::ObservationReply:
    case MessageType::ProtocolInfoReply:
    case MessageType::HoldersReply:
    case MessageType::ChildReply:
    case MessageType::ProcessSocketsReply:
    case MessageType::Failure:
    case MessageType::NetworkEvent:
        return std::nullopt;
    }
    return std::nullopt;
}

} // namespace socklens::protocol
