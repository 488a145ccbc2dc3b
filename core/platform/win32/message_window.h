// A message-only window on a thread of its own, for WSAAsyncSelect: Winsock posts the socket's
// network events to it as window messages, and the thread hands them on.
#pragma once

#include <functional>
#include <thread>
#include <winsock2.h>

namespace socklens::platform {

class MessageWindow {
public:
    /// WSAAsyncSelect's message for this window.
    static constexpr UINT kSocketMessage = WM_APP + 1;
    /// Called on the window's thread for every kSocketMessage: the socket and its network events.
    using Deliver = std::function<void(SOCKET socket, long events)>;

    /// Starts the thread and waits until the window exists. Throws OsError.
    explicit MessageWindow(Deliver deliver);
    /// Destroys the window and joins the thread.
    ~MessageWindow();
    MessageWindow(const MessageWindow&) = delete;
    MessageWindow& operator=(const MessageWindow&) = delete;

    HWND window() const { return window_; }

private:
    static LRESULT CALLBACK procedure(HWND window, UINT message, WPARAM wParam, LPARAM lParam);
    void run(HANDLE created);

    Deliver deliver_;
    HWND window_ = nullptr;
    DWORD failure_ = 0; ///< why CreateWindowEx failed, read after `created` is set
    std::thread thread_;
};

} // namespace socklens::platform
