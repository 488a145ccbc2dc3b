#include "broker/socket_lifetime.h"

#include "sysmap/sock_diag.h"

#include <sys/socket.h>

namespace socklens::broker {

namespace {

/// The sock_diag lists a socket of this kind appears in.
void addFamily(const SocketState& socket, sysmap::SockDiagFamilies& families) {
    if (socket.family == AF_UNIX)
        families.unixSockets = true;
    else if (socket.type == SOCK_STREAM)
        families.tcp = true;
    else
        families.udp = true;
}

/// Why an inet socket that is not listed may still be alive: the kernel lists only bound or
/// connected ones.
std::string unlistedNote(const SocketState& socket) {
    const bool neverBound = socket.local.empty() || socket.local.ends_with(":0");
    if (socket.family != AF_UNIX && neverBound)
        return "an inet socket that was never bound or connected is not in the kernel's lists, "
               "so whether it is still in flight cannot be told";
    return {};
}

} // namespace

void SocketLifetime::lostLastDescriptor(const std::vector<SocketId>& sockets) {
    if (!sockets.empty())
        read(sockets);
}

void SocketLifetime::recheck() {
    if (!unheld_.empty())
        read({unheld_.begin(), unheld_.end()});
}

void SocketLifetime::read(const std::vector<SocketId>& sockets) {
    const State& state = session_.state();
    sysmap::SockDiagFamilies families{false, false, false};
    for (const SocketId id : sockets)
        addFamily(*state.socket(id), families);
    const sysmap::KernelSockets listed = sysmap::readKernelSockets(families);
    std::string problems;
    for (const std::string& problem : listed.problems)
        problems += (problems.empty() ? "" : "; ") + problem;

    for (const SocketId id : sockets) {
        const SocketState& socket = *state.socket(id);
        const sysmap::KernelSocket* found = listed.find(socket.identity);
        if (found) {
            unheld_.insert(id);
            if (!socket.withoutDescriptor) {
                const bool tcp = socket.family != AF_UNIX && socket.type == SOCK_STREAM;
                session_.record(entry::SocketLifetimeObserved{
                    id, true, tcp ? found->state : std::string(), {}});
            }
            continue;
        }
        unheld_.erase(id);
        std::string note = problems.empty() ? unlistedNote(socket) : problems;
        session_.record(entry::SocketLifetimeObserved{id, false, {}, std::move(note)});
    }
}

} // namespace socklens::broker
