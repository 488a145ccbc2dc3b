// Winsock: WSAEventSelect with one event object for the whole helper (read back with
// WSAEnumNetworkEvents), or WSAAsyncSelect to a message-only window on a thread of its own.
// Either call through any descriptor replaces the socket's previous registration, whichever
// process made it (claim C7): a helper whose registration was replaced is simply not woken.
#include "platform/notifications.h"
#include "platform/os_error.h"
#include "platform/win32/message_window.h"
#include "platform/win32/native_socket.h"

#include <map>
#include <mutex>

namespace socklens::platform {

namespace {

long networkEvents(EventMask mask) {
    return ((mask & FdRead) ? FD_READ : 0) | ((mask & FdWrite) ? FD_WRITE : 0);
}

EventMask eventMask(long networkEvents) {
    return ((networkEvents & FD_READ) ? EventMask{FdRead} : 0) |
           ((networkEvents & FD_WRITE) ? EventMask{FdWrite} : 0);
}

struct Posted {
    SOCKET socket;
    long events;
};

} // namespace

struct EventNotifications::Impl {
    /// Signalled by WSAEventSelect's events and by the message window's deliveries.
    WSAEVENT wake = WSA_INVALID_EVENT;
    std::map<Handle, EventMask> eventSelect; ///< registered here by WSAEventSelect
    std::map<Handle, EventMask> asyncSelect; ///< registered here by WSAAsyncSelect
    std::unique_ptr<MessageWindow> window;   ///< made at the first WSAAsyncSelect
    std::mutex mutex;
    std::vector<Posted> posted; ///< from the window's thread, guarded by `mutex`

    HWND messageWindow() {
        if (!window)
            window = std::make_unique<MessageWindow>([this](SOCKET socket, long events) {
                const std::lock_guard lock(mutex);
                posted.push_back({socket, events});
                ::WSASetEvent(wake);
            });
        return window->window();
    }

    void add(std::vector<protocol::NetworkEvent>& events, Handle handle, long networkEvents,
             EventMask registered) const {
        const EventMask delivered = eventMask(networkEvents);
        if (delivered != 0)
            events.push_back({handle.value(), 0, delivered, registered, 0});
    }
};

EventNotifications::EventNotifications()
    : impl_(std::make_unique<Impl>()) {
    impl_->wake = ::WSACreateEvent();
    if (impl_->wake == WSA_INVALID_EVENT)
        throw OsError::fromLastError("WSACreateEvent");
}

EventNotifications::~EventNotifications() {
    impl_->window.reset(); // its thread may still signal `wake`
    ::WSACloseEvent(impl_->wake);
}

void EventNotifications::registerFor(Handle handle, EventMask mask,
                                     RegistrationMechanism mechanism) {
    const SOCKET socket = nativeSocket(handle);
    switch (mechanism) {
    case RegistrationMechanism::WsaEventSelect:
        // Mask 0 cancels the socket's registration, whoever made it.
        if (::WSAEventSelect(socket, impl_->wake, networkEvents(mask)) != 0)
            throw OsError::fromLastError("WSAEventSelect");
        break;
    case RegistrationMechanism::WsaAsyncSelect:
        if (::WSAAsyncSelect(socket, impl_->messageWindow(), MessageWindow::kSocketMessage,
                             networkEvents(mask)) != 0)
            throw OsError::fromLastError("WSAAsyncSelect");
        break;
    default: {
        const std::string call(toString(mechanism));
        throw OsError(call, WSAEOPNOTSUPP, "WSAEOPNOTSUPP",
                      call + " is a Linux call; this Winsock helper registers with "
                             "WSAEventSelect or WSAAsyncSelect (WSAEOPNOTSUPP)");
    }
    }
    // One registration per socket: the later call replaced the earlier one.
    forget(handle);
    if (mask != 0)
        (mechanism == RegistrationMechanism::WsaEventSelect ? impl_->eventSelect
                                                            : impl_->asyncSelect)[handle] = mask;
}

void EventNotifications::forget(Handle handle) {
    impl_->eventSelect.erase(handle);
    impl_->asyncSelect.erase(handle);
}

std::intptr_t EventNotifications::waitable() const {
    return reinterpret_cast<std::intptr_t>(impl_->wake);
}

std::vector<protocol::NetworkEvent> EventNotifications::drain() {
    std::vector<protocol::NetworkEvent> events;
    // Only when woken: WSAEnumNetworkEvents reads and clears what the socket object recorded,
    // so reading a socket whose registration another process has taken over would steal the
    // events Winsock recorded for that process.
    if (::WSAWaitForMultipleEvents(1, &impl_->wake, FALSE, 0, FALSE) != WSA_WAIT_EVENT_0)
        return events;
    // Reset before reading: whatever is recorded after this point signals again.
    ::WSAResetEvent(impl_->wake);
    std::vector<Posted> posted;
    {
        const std::lock_guard lock(impl_->mutex);
        posted.swap(impl_->posted);
    }
    for (const Posted& message : posted) {
        const Handle handle = handleOf(message.socket);
        const auto registered = impl_->asyncSelect.find(handle);
        impl_->add(events, handle, message.events,
                   registered == impl_->asyncSelect.end() ? 0 : registered->second);
    }
    for (const auto& [handle, mask] : impl_->eventSelect) {
        WSANETWORKEVENTS recorded{};
        // Fails only for a socket closed behind our back; nothing was recorded for it then.
        if (::WSAEnumNetworkEvents(nativeSocket(handle), nullptr, &recorded) == 0)
            impl_->add(events, handle, recorded.lNetworkEvents, mask);
    }
    return events;
}

} // namespace socklens::platform
