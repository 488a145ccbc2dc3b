// What a helper does with one request: runs it against its own OS through platform/ and answers
// with a reply. OS-neutral; the loop that reads requests and sends replies is per OS.
#pragma once

#include "model/ids.h"
#include "platform/notifications.h"
#include "protocol/messages.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace socklens::helper {

class RequestHandler {
public:
    struct Reply {
        protocol::Message message;
        /// Descriptors to send beside the reply; the handler still owns them.
        std::vector<Handle> attached;
    };

    explicit RequestHandler(platform::EventNotifications& notifications);
    /// Closes every descriptor the helper still holds.
    ~RequestHandler();
    RequestHandler(const RequestHandler&) = delete;
    RequestHandler& operator=(const RequestHandler&) = delete;

    /// Runs `request`; `received` are the descriptors that came with it, now owned by the
    /// handler. Never throws for anything a request contains: failures become a Failure reply.
    Reply handle(const protocol::Message& request, std::vector<Handle> received);

    /// The socket descriptors this helper holds: created, imported or duplicated, not closed.
    const std::set<Handle>& held() const { return held_; }

private:
    struct Visitor;

    void keep(Handle handle, std::uint32_t wsaFlags);
    /// No longer held: nothing is closed.
    void forget(Handle handle);
    /// Forgotten and closed.
    void release(Handle handle);
    /// Holds a descriptor that arrived or was imported, and reads it; one that cannot be
    /// read, or with `keepIt` false, is closed again.
    protocol::DescriptorObservation adopt(Handle handle, std::uint32_t wsaFlags, bool keepIt);
    void requireHeld(std::int64_t handle, const std::string& requestName) const;
    protocol::DescriptorDescription describe(Handle handle) const;
    protocol::DescriptorObservation observe(Handle handle) const;

    platform::EventNotifications& notifications_;
    std::set<Handle> held_;
    std::map<Handle, std::uint32_t> wsaFlags_; ///< Winsock: the flags each was made with (C9)
};

} // namespace socklens::helper
