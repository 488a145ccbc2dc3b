#include "broker/open_descriptors.h"

#include <type_traits>
#include <variant>

namespace socklens::broker {

void OpenDescriptors::follow(const JournalEntry& entry) {
    std::visit(
        [this](const auto& e) {
            using Entry = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<Entry, entry::DescriptorOpened>) {
                closed(e.descriptor); // a handle reused for another socket
                byProcess_[e.descriptor.process][e.descriptor.handle] = e.socket;
                bySocket_[e.socket].insert(e.descriptor);
            } else if constexpr (std::is_same_v<Entry, entry::DescriptorClosed>) {
                closed(e.descriptor);
            } else if constexpr (std::is_same_v<Entry, entry::ProcessExited>) {
                const auto process = byProcess_.find(e.process);
                if (process == byProcess_.end())
                    return;
                for (const auto& [handle, socket] : process->second) {
                    const auto holders = bySocket_.find(socket);
                    holders->second.erase(DescriptorRef{e.process, handle});
                    if (holders->second.empty())
                        bySocket_.erase(holders);
                }
                byProcess_.erase(process);
            }
        },
        entry.payload);
}

void OpenDescriptors::closed(const DescriptorRef& ref) {
    const auto process = byProcess_.find(ref.process);
    if (process == byProcess_.end())
        return;
    const auto handle = process->second.find(ref.handle);
    if (handle == process->second.end())
        return;
    const auto holders = bySocket_.find(handle->second);
    holders->second.erase(ref);
    if (holders->second.empty())
        bySocket_.erase(holders);
    process->second.erase(handle);
    if (process->second.empty())
        byProcess_.erase(process);
}

const std::map<Handle, SocketId>& OpenDescriptors::of(ProcessId process) const {
    static const std::map<Handle, SocketId> none;
    const auto found = byProcess_.find(process);
    return found == byProcess_.end() ? none : found->second;
}

const std::set<DescriptorRef>& OpenDescriptors::of(SocketId socket) const {
    static const std::set<DescriptorRef> none;
    const auto found = bySocket_.find(socket);
    return found == bySocket_.end() ? none : found->second;
}

} // namespace socklens::broker
