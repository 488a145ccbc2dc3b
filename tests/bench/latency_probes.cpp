#include "latency_probes.h"

#include "models/descriptors_model.h"
#include "models/sockets_model.h"

#include <variant>

namespace socklens::bench {

void watchModels(ui::DescriptorsModel& descriptors, ui::SocketsModel* sockets, Probes& probes) {
    QObject::connect(&descriptors, &QAbstractItemModel::rowsAboutToBeRemoved, &descriptors,
                     [&probes, &descriptors](const QModelIndex&, int first, int last) {
                         const Clock::time_point now = Clock::now();
                         std::lock_guard lock(probes.mutex);
                         for (int row = first; row <= last; ++row) {
                             const auto found = probes.byRef.find(descriptors.keyAt(row));
                             if (found != probes.byRef.end() &&
                                 !probes.all[found->second].rowRemoved)
                                 probes.all[found->second].rowRemoved = now;
                         }
                     });
    QObject::connect(
        sockets, &QAbstractItemModel::dataChanged, sockets,
        [&probes, sockets](const QModelIndex& topLeft, const QModelIndex& bottomRight) {
            const Clock::time_point now = Clock::now();
            std::lock_guard lock(probes.mutex);
            if (probes.bySocket.empty())
                return;
            for (int row = topLeft.row(); row <= bottomRight.row(); ++row) {
                const auto found = probes.bySocket.find(sockets->keyAt(row));
                if (found == probes.bySocket.end())
                    continue;
                Probe& probe = probes.all[found->second];
                // Only a change after the close counts (and after its command).
                const bool after = probe.happened || (probe.commanded && probe.posted);
                if (after && !probe.socketRow)
                    probe.socketRow = now;
            }
        });
}

void watchJournal(broker::Broker& broker, Probes& probes) {
    broker.journal().addListener([&probes](const JournalEntry& entry) {
        const auto* closed = std::get_if<entry::DescriptorClosed>(&entry.payload);
        if (!closed)
            return;
        const Clock::time_point now = Clock::now();
        std::lock_guard lock(probes.mutex);
        const auto found = probes.byRef.find(closed->descriptor);
        if (found == probes.byRef.end())
            return;
        Probe& probe = probes.all[found->second];
        if (!probe.journaled)
            probe.journaled = now;
        if (probe.commanded && !probe.happened)
            probe.happened = now;
    });
}

} // namespace socklens::bench
