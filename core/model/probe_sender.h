// Which descriptor a probe sends its byte through: one of the peer's, so the OS notifies
// whoever registered on the probed socket. A domain decision, kept out of the GUI.
#pragma once

#include "model/ids.h"
#include "model/state.h"

#include <optional>
#include <string>

namespace socklens {

struct ProbeSender {
    std::optional<DescriptorRef> descriptor; ///< set when the probe can run
    std::string whyNot;                      ///< a sentence when it cannot
};

/// The first open descriptor of `socket`'s peer in `state`.
ProbeSender probeSenderFor(const State& state, SocketId socket);

} // namespace socklens
