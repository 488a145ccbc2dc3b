#include "helper/helper_exit.h"
#include "helper/helper_loop.h"
#include "helper/request_handler.h"
#include "platform/notifications.h"
#include "platform/os_error.h"
#include "platform/posix/fd_channel.h"

#include <array>
#include <cerrno>
#include <fcntl.h>
#include <poll.h>

namespace socklens::helper {

namespace {

void forwardNotifications(platform::EventNotifications& notifications,
                          platform::FdChannel& channel) {
    for (const protocol::NetworkEvent& event : notifications.drain())
        channel.send(event);
}

void answerRequests(RequestHandler& handler, platform::FdChannel& channel) {
    while (std::optional<platform::ReceivedFrame> frame = channel.nextFrame()) {
        std::vector<Handle> received;
        for (platform::UniqueFd& fd : frame->fds)
            received.emplace_back(fd.release());
        const RequestHandler::Reply reply = handler.handle(frame->message, std::move(received));
        std::vector<int> attached;
        for (const Handle handle : reply.attached)
            attached.push_back(int(handle.value()));
        channel.send(reply.message, attached);
    }
}

/// Returns false once the broker has hung up and everything it sent has been answered.
bool serveOnce(platform::FdChannel& channel, platform::EventNotifications& notifications,
               RequestHandler& handler) {
    std::array<pollfd, 2> waiting{
        {{channel.fd(), POLLIN, 0}, {int(notifications.waitable()), POLLIN, 0}}};
    if (::poll(waiting.data(), waiting.size(), -1) < 0) {
        if (errno == EINTR)
            return true;
        throw platform::OsError::fromLastError("poll");
    }
    // Notifications first: what the OS delivered before a request is reported before its reply.
    if (waiting[1].revents)
        forwardNotifications(notifications, channel);
    if (!waiting[0].revents)
        return true;
    const bool open = channel.readAvailable();
    answerRequests(handler, channel);
    return open;
}

} // namespace

int serveBroker(std::intptr_t channelFd) {
    return exitCodeOf([channelFd] {
        // Inherited across the broker's exec; no child of this helper may hold it.
        ::fcntl(int(channelFd), F_SETFD, FD_CLOEXEC);
        platform::FdChannel channel{platform::UniqueFd(int(channelFd))};
        platform::EventNotifications notifications;
        RequestHandler handler(notifications);
        while (serveOnce(channel, notifications, handler)) {
        }
    });
}

} // namespace socklens::helper
