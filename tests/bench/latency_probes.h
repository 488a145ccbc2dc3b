// The GUI benchmark's latency probes: each close it makes, with the moments it happened in the
// OS, was journaled and reached the item models.
#pragma once

#include "broker/broker.h"
#include "model/ids.h"
#include "sample_statistics.h"

#include <algorithm>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace socklens::ui {
class DescriptorsModel;
class SocketsModel;
} // namespace socklens::ui

namespace socklens::bench {

/// One close, from the moment it happened in the OS to the moment both item models showed it.
struct Probe {
    DescriptorRef ref;
    SocketId socket;
    pid_t pid = 0;
    bool commanded = false;
    std::optional<Clock::time_point> posted;     ///< commanded: Engine::close() called
    std::optional<Clock::time_point> happened;   ///< the close in the OS (see docs)
    std::optional<Clock::time_point> journaled;  ///< the broker journals DescriptorClosed
    std::optional<Clock::time_point> rowRemoved; ///< DescriptorsModel: the row goes
    std::optional<Clock::time_point> socketRow;  ///< SocketsModel: the socket's row changes
    std::string error;

    bool seen() const { return rowRemoved && socketRow; }
    std::optional<Clock::time_point> modelUpdated() const {
        if (!seen())
            return std::nullopt;
        return std::max(*rowRemoved, *socketRow);
    }
};

/// Shared between the GUI thread (the models' signals), the engine thread (the journal
/// listener) and the changer thread (injections).
class Probes {
public:
    std::mutex mutex;
    std::vector<Probe> all;
    std::map<DescriptorRef, std::size_t> byRef;
    std::map<SocketId, std::size_t> bySocket;

    std::size_t add(Probe probe) {
        std::lock_guard lock(mutex);
        all.push_back(std::move(probe));
        const std::size_t index = all.size() - 1;
        byRef[all[index].ref] = index;
        bySocket[all[index].socket] = index;
        return index;
    }
};

/// Notes when the item models show a probe's close: its row goes from `descriptors`, its
/// socket's row changes in `sockets` (on the GUI thread, where the signals come).
void watchModels(ui::DescriptorsModel& descriptors, ui::SocketsModel* sockets, Probes& probes);

/// Notes when `broker` (on its thread) journals a probe's close; for a commanded close that is
/// also when it happened (the helper closed before replying).
void watchJournal(broker::Broker& broker, Probes& probes);

} // namespace socklens::bench
