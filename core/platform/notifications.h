// Registers the calling process for FD_READ/FD_WRITE notifications on a socket and collects
// what the OS delivers to it. On Linux: F_SETOWN_EX(self) + F_SETSIG + O_ASYNC, read back from a
// signalfd. The registration lives in the socket's shared open file description, so a later
// registration through any descriptor in any process replaces it (claim C7). On Winsock:
// WSAEventSelect or WSAAsyncSelect, which replace the socket's registration the same way.
#pragma once

#include "model/ids.h"
#include "model/socket_vocabulary.h"
#include "protocol/messages.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace socklens::platform {

/// One per process: notifications arrive for the process as a whole. Throws OsError.
class EventNotifications {
public:
    EventNotifications();
    ~EventNotifications();
    EventNotifications(const EventNotifications&) = delete;
    EventNotifications& operator=(const EventNotifications&) = delete;

    /// Makes this process the socket's registrant for `mask` through `handle`; mask 0 cancels
    /// the socket's registration (whoever made it). Linux delivers read and write readiness
    /// alike, whatever the mask: the mask is recorded and reported beside what arrives.
    /// Throws OsError, also for a mechanism this OS does not have.
    void registerFor(Handle handle, EventMask mask, RegistrationMechanism mechanism);

    /// The handle is being closed: later deliveries naming it are no longer matched to it.
    void forget(Handle handle);

    /// Signalled when notifications are waiting for drain(): POSIX an fd for poll(), Windows an
    /// event object's HANDLE.
    std::intptr_t waitable() const;

    /// Everything delivered so far, oldest first; never blocks. An event with handle -1 and
    /// identity 0 means the OS's signal queue overflowed and some notifications were lost.
    std::vector<protocol::NetworkEvent> drain();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace socklens::platform
