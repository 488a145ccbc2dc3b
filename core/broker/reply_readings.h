// Readings that came with a command's replies: a helper reads every descriptor it makes, takes
// in or passes on through that descriptor at once (DescriptorsReply), so the command's own
// observation applies those readings instead of asking the helper again — one round trip to
// every helper involved less per create, duplicate or hand-off (docs/performance.md).
#pragma once

#include "model/ids.h"
#include "protocol/messages.h"

#include <map>
#include <vector>

namespace socklens::broker {

class ReplyReadings {
public:
    void note(ProcessId process, protocol::DescriptorObservation reading);
    /// The readings `process`'s replies brought since the last observation, which owns them now.
    std::vector<protocol::DescriptorObservation> take(ProcessId process);
    /// An observation asks or skips every helper once: what it did not take is old after it.
    void clear() { pending_.clear(); }

private:
    std::map<ProcessId, std::vector<protocol::DescriptorObservation>> pending_;
};

} // namespace socklens::broker
