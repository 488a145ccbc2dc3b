#include "model/probe_sender.h"

namespace socklens {

ProbeSender probeSenderFor(const State& state, SocketId socket) {
    const std::optional<SocketId> peer = state.peerOf(socket);
    if (!peer)
        return {std::nullopt, "cannot probe S" + std::to_string(socket.value()) +
                                  ": it has no peer in the session (a listener or UDP socket)"};
    const std::vector<const DescriptorState*> holders = state.descriptorsOf(*peer);
    if (!holders.empty())
        return {holders.front()->ref, {}};
    return {std::nullopt, "cannot probe S" + std::to_string(socket.value()) +
                              ": no open descriptor of its peer S" + std::to_string(peer->value()) +
                              " is known"};
}

} // namespace socklens
