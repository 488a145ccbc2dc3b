// Whether the kernel still has a session socket that no fd table shows, read from its own
// socket lists (sock_diag) by inode. A socket whose count fell to zero is closed only when the
// kernel no longer lists it; until then it is alive with no descriptor (a reference in flight
// in a Unix socket message, or the kernel keeping it) and stays observed, so the process that
// receives it is found and named.
#pragma once

#include "broker/broker_session.h"

#include <set>
#include <vector>

namespace socklens::broker {

class SocketLifetime {
public:
    explicit SocketLifetime(BrokerSession& session)
        : session_(session) {}

    /// These sockets have no descriptor left: journals, for each, whether the kernel still
    /// lists it. Call before their zero count is journaled. One dump per family they need.
    void lostLastDescriptor(const std::vector<SocketId>& sockets);
    /// Sockets alive with no descriptor: journals those the kernel no longer lists.
    void recheck();
    /// Holders appeared again: the socket is no longer watched here.
    void heldAgain(SocketId socket) { unheld_.erase(socket); }

private:
    void read(const std::vector<SocketId>& sockets);

    BrokerSession& session_;
    std::set<SocketId> unheld_;
};

} // namespace socklens::broker
