// The Winsock helper's loop: the broker's frames arrive on stdin and replies leave on stdout
// (the helper runs as `wine socklens-helper.exe` with pipes for both). A thread reads stdin,
// because a pipe cannot be waited on together with the notifications' event.
#include "helper/helper_exit.h"
#include "helper/helper_loop.h"
#include "helper/request_handler.h"
#include "platform/notifications.h"
#include "platform/os_error.h"
#include "protocol/codec.h"

#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>
#include <winsock2.h>

namespace socklens::helper {

namespace {

/// What the reading thread hands over: bytes, and whether stdin has ended.
struct Inbox {
    HANDLE ready = ::CreateEventW(nullptr, TRUE, FALSE, nullptr);
    std::mutex mutex;
    std::vector<std::uint8_t> bytes;
    bool ended = false;

    ~Inbox() { ::CloseHandle(ready); }

    void put(const std::uint8_t* data, DWORD size, bool atEnd) {
        const std::lock_guard lock(mutex);
        bytes.insert(bytes.end(), data, data + size);
        ended = ended || atEnd;
        ::SetEvent(ready);
    }

    /// Everything read so far; `atEnd` is set once stdin has ended.
    std::vector<std::uint8_t> take(bool& atEnd) {
        const std::lock_guard lock(mutex);
        ::ResetEvent(ready);
        atEnd = ended;
        return std::exchange(bytes, {});
    }
};

/// Reads stdin until it ends. Detached: when the loop returns early (a bad frame) the thread
/// may still sit in ReadFile, and the process ends around it.
void startReading(HANDLE input, std::shared_ptr<Inbox> inbox) {
    std::thread([input, inbox] {
        std::vector<std::uint8_t> buffer(64 * 1024);
        for (;;) {
            DWORD read = 0;
            const bool ok = ::ReadFile(input, buffer.data(), DWORD(buffer.size()), &read, nullptr);
            inbox->put(buffer.data(), read, !ok || read == 0);
            if (!ok || read == 0)
                return;
        }
    }).detach();
}

void writeFrame(HANDLE output, const protocol::Message& message) {
    const std::vector<std::uint8_t> frame = protocol::encodeFrame(message);
    std::size_t written = 0;
    while (written < frame.size()) {
        DWORD now = 0;
        if (!::WriteFile(output, frame.data() + written, DWORD(frame.size() - written), &now,
                         nullptr))
            throw platform::OsError::fromLastError("WriteFile(stdout)");
        written += now;
    }
}

class WinsockStartup {
public:
    WinsockStartup() {
        WSADATA data;
        if (const int code = ::WSAStartup(MAKEWORD(2, 2), &data); code != 0) {
            ::WSASetLastError(code);
            throw platform::OsError::fromLastError("WSAStartup");
        }
    }
    ~WinsockStartup() { ::WSACleanup(); }
    WinsockStartup(const WinsockStartup&) = delete;
    WinsockStartup& operator=(const WinsockStartup&) = delete;
};

/// Returns false once the broker has hung up and everything it sent has been answered.
bool serveOnce(HANDLE output, Inbox& inbox, protocol::Decoder& decoder,
               platform::EventNotifications& notifications, RequestHandler& handler) {
    const HANDLE waiting[2] = {inbox.ready, reinterpret_cast<HANDLE>(notifications.waitable())};
    if (::WaitForMultipleObjects(2, waiting, FALSE, INFINITE) == WAIT_FAILED)
        throw platform::OsError::fromLastError("WaitForMultipleObjects");
    // Notifications first: what the OS delivered before a request is reported before its reply.
    for (const protocol::NetworkEvent& event : notifications.drain())
        writeFrame(output, event);
    bool ended = false;
    decoder.feed(inbox.take(ended));
    while (std::optional<protocol::DecodedFrame> frame = decoder.next()) {
        if (frame->fdCount != 0)
            throw protocol::ProtocolError("a frame announces " + std::to_string(frame->fdCount) +
                                          " descriptors, but a pipe carries none");
        writeFrame(output, handler.handle(frame->message, {}).message);
    }
    return !ended;
}

} // namespace

int serveBrokerOverStdio() {
    return exitCodeOf([] {
        const WinsockStartup winsock;
        const HANDLE output = ::GetStdHandle(STD_OUTPUT_HANDLE);
        auto inbox = std::make_shared<Inbox>();
        startReading(::GetStdHandle(STD_INPUT_HANDLE), inbox);
        protocol::Decoder decoder;
        platform::EventNotifications notifications;
        RequestHandler handler(notifications);
        while (serveOnce(output, *inbox, decoder, notifications, handler)) {
        }
    });
}

} // namespace socklens::helper
