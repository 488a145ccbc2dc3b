#include "platform/win32/message_window.h"

#include "platform/os_error.h"

namespace socklens::platform {

namespace {

constexpr const wchar_t* kClassName = L"socklens-helper-async-select";

class Event {
public:
    Event()
        : handle_(::CreateEventW(nullptr, TRUE, FALSE, nullptr)) {
        if (!handle_)
            throw OsError::fromLastError("CreateEvent");
    }
    ~Event() { ::CloseHandle(handle_); }
    Event(const Event&) = delete;
    Event& operator=(const Event&) = delete;
    HANDLE get() const { return handle_; }

private:
    HANDLE handle_;
};

} // namespace

MessageWindow::MessageWindow(Deliver deliver)
    : deliver_(std::move(deliver)) {
    const Event created;
    thread_ = std::thread([this, ready = created.get()] { run(ready); });
    ::WaitForSingleObject(created.get(), INFINITE);
    if (!window_) {
        thread_.join();
        ::WSASetLastError(int(failure_));
        throw OsError::fromLastError("CreateWindowEx(HWND_MESSAGE)");
    }
}

MessageWindow::~MessageWindow() {
    // WM_CLOSE destroys the window on its own thread, whose loop then ends.
    ::PostMessageW(window_, WM_CLOSE, 0, 0);
    thread_.join();
}

void MessageWindow::run(HANDLE created) {
    WNDCLASSEXW windowClass{};
    windowClass.cbSize = sizeof windowClass;
    windowClass.lpfnWndProc = procedure;
    windowClass.hInstance = ::GetModuleHandleW(nullptr);
    windowClass.lpszClassName = kClassName;
    ::RegisterClassExW(&windowClass); // fails harmlessly when a previous window registered it
    window_ = ::CreateWindowExW(0, kClassName, L"", 0, 0, 0, 0, 0, HWND_MESSAGE, nullptr,
                                windowClass.hInstance, this);
    failure_ = window_ ? 0 : ::GetLastError();
    ::SetEvent(created);
    if (!window_)
        return;
    MSG message;
    while (::GetMessageW(&message, nullptr, 0, 0) > 0)
        ::DispatchMessageW(&message);
}

LRESULT CALLBACK MessageWindow::procedure(HWND window, UINT message, WPARAM wParam, LPARAM lParam) {
    if (message == WM_NCCREATE) {
        const auto* creation = reinterpret_cast<const CREATESTRUCTW*>(lParam);
        ::SetWindowLongPtrW(window, GWLP_USERDATA,
                            reinterpret_cast<LONG_PTR>(creation->lpCreateParams));
    }
    auto* self = reinterpret_cast<MessageWindow*>(::GetWindowLongPtrW(window, GWLP_USERDATA));
    switch (message) {
    case kSocketMessage:
        if (self)
            self->deliver_(SOCKET(wParam), WSAGETSELECTEVENT(lParam));
        return 0;
    case WM_DESTROY:
        ::PostQuitMessage(0);
        return 0;
    default:
        return ::DefWindowProcW(window, message, wParam, lParam);
    }
}

} // namespace socklens::platform
