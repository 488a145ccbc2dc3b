#include "broker/reply_readings.h"

namespace socklens::broker {

void ReplyReadings::note(ProcessId process, protocol::DescriptorObservation reading) {
    pending_[process].push_back(std::move(reading));
}

std::vector<protocol::DescriptorObservation> ReplyReadings::take(ProcessId process) {
    const auto found = pending_.find(process);
    if (found == pending_.end())
        return {};
    std::vector<protocol::DescriptorObservation> readings = std::move(found->second);
    pending_.erase(found);
    return readings;
}

} // namespace socklens::broker
