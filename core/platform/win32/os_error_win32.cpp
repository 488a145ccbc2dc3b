// Winsock: a failed call as a sentence, with the WSA code's name (C12).
#include "platform/os_error.h"
#include "platform/wsa_errors.h"

#include <winsock2.h>

namespace socklens::platform {

// wsa_errors.cpp writes the codes as numbers so any OS can read them; they must be the SDK's.
static_assert(WSANOTINITIALISED == 10093 && WSAENETDOWN == 10050 && WSAEINVAL == 10022 &&
              WSAEINPROGRESS == 10036 && WSAEMFILE == 10024 && WSAENOBUFS == 10055 &&
              WSAENOTSOCK == 10038 && WSAEFAULT == 10014 && WSAEWOULDBLOCK == 10035 &&
              WSAENOPROTOOPT == 10042 && WSAEAFNOSUPPORT == 10047);

namespace {

/// The system's own text for a code Winsock does not define (a plain Win32 error).
std::string systemText(DWORD code) {
    char buffer[512] = {};
    const DWORD length =
        ::FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr, code,
                         0, buffer, sizeof buffer, nullptr);
    std::string text(buffer, length);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == '.'))
        text.pop_back();
    return text.empty() ? "unknown error" : text;
}

} // namespace

OsError OsError::fromLastError(std::string call) {
    // WSAGetLastError is the thread's last error, so this also words plain Win32 failures.
    const int code = ::WSAGetLastError();
    const std::optional<WsaErrorText> known = wsaErrorText(code, call);
    std::string codeName = known ? std::string(known->name) : "error " + std::to_string(code);
    std::string sentence =
        call + " failed: " + (known ? std::string(known->cause) : systemText(DWORD(code))) + " (" +
        codeName + ")";
    return OsError(std::move(call), code, std::move(codeName), std::move(sentence));
}

} // namespace socklens::platform
