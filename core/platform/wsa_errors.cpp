#include "platform/wsa_errors.h"

#include <algorithm>
#include <array>
#include <utility>

namespace socklens::platform {

namespace {

// The codes of winerror.h; win32/os_error_win32.cpp checks them against the SDK's constants.
constexpr std::array<std::pair<std::int32_t, WsaErrorText>, 44> kErrors{{
    {6, {"WSA_INVALID_HANDLE", "the event object handle is not valid"}},
    {8, {"WSA_NOT_ENOUGH_MEMORY", "there is not enough memory"}},
    {87, {"WSA_INVALID_PARAMETER", "a parameter is not valid"}},
    {10004, {"WSAEINTR", "the call was interrupted (WSACancelBlockingCall)"}},
    {10009, {"WSAEBADF", "the handle is not valid"}},
    {10013, {"WSAEACCES", "access to the socket is forbidden"}},
    {10014,
     {"WSAEFAULT",
      "a pointer argument is not in the process's address space, or a buffer (such as the "
      "WSAPROTOCOL_INFO) is too small"}},
    {10022, {"WSAEINVAL", "an argument is invalid"}},
    {10024, {"WSAEMFILE", "no more socket descriptors are available"}},
    {10035, {"WSAEWOULDBLOCK", "the operation would block: no data or buffer space is there now"}},
    {10036, {"WSAEINPROGRESS", "a blocking Winsock call is in progress in this thread"}},
    {10037, {"WSAEALREADY", "an operation is already in progress on this non-blocking socket"}},
    {10038, {"WSAENOTSOCK", "the descriptor is not a socket"}},
    {10039, {"WSAEDESTADDRREQ", "a destination address is required"}},
    {10040, {"WSAEMSGSIZE", "the message is larger than the buffer or the protocol's limit"}},
    {10041, {"WSAEPROTOTYPE", "the protocol does not support this socket type"}},
    {10042, {"WSAENOPROTOOPT", "the option is unknown or not supported for this socket"}},
    {10043, {"WSAEPROTONOSUPPORT", "the protocol is not supported"}},
    {10044, {"WSAESOCKTNOSUPPORT", "the socket type is not supported in this address family"}},
    {10045, {"WSAEOPNOTSUPP", "the operation is not supported for this kind of socket"}},
    {10046, {"WSAEPFNOSUPPORT", "the protocol family is not supported"}},
    {10047, {"WSAEAFNOSUPPORT", "the address family is not supported"}},
    {10048, {"WSAEADDRINUSE", "the address is already in use"}},
    {10049, {"WSAEADDRNOTAVAIL", "the address is not available on this machine"}},
    {10050, {"WSAENETDOWN", "the network subsystem has failed"}},
    {10051, {"WSAENETUNREACH", "the network cannot be reached from this host"}},
    {10052, {"WSAENETRESET", "the connection broke while the operation was in progress"}},
    {10053, {"WSAECONNABORTED", "the connection was aborted by this host"}},
    {10054, {"WSAECONNRESET", "the connection was reset by the peer"}},
    {10055, {"WSAENOBUFS", "no buffer space is available"}},
    {10056, {"WSAEISCONN", "the socket is already connected"}},
    {10057, {"WSAENOTCONN", "the socket is not connected"}},
    {10058, {"WSAESHUTDOWN", "the socket has been shut down in that direction"}},
    {10060, {"WSAETIMEDOUT", "the connection timed out"}},
    {10061, {"WSAECONNREFUSED", "the connection was refused"}},
    {10064, {"WSAEHOSTDOWN", "the destination host is down"}},
    {10065, {"WSAEHOSTUNREACH", "there is no route to the host"}},
    {10067, {"WSAEPROCLIM", "too many processes use Winsock"}},
    {10091, {"WSASYSNOTREADY", "the network subsystem is not ready"}},
    {10092, {"WSAVERNOTSUPPORTED", "this Winsock version is not supported"}},
    {10093, {"WSANOTINITIALISED", "WSAStartup has not been called successfully yet"}},
    {10101, {"WSAEDISCON", "the peer is shutting the connection down gracefully"}},
    {10106, {"WSAEPROVIDERFAILEDINIT", "the service provider failed to initialize"}},
    {10108, {"WSASERVICE_NOT_FOUND", "the service is not known"}},
}};

/// Causes that depend on the call: what the code means there.
struct CallCause {
    std::string_view call;
    std::int32_t code;
    std::string_view cause;
};
constexpr std::array<CallCause, 2> kCallCauses{{
    {"WSADuplicateSocket", 10022,
     "the target process id names no process this one may duplicate a socket into"},
    {"WSADuplicateSocket", 10014, "the WSAPROTOCOL_INFO to fill is not in the process's memory"},
}};

} // namespace

std::optional<WsaErrorText> wsaErrorText(std::int32_t code, std::string_view call) {
    const auto found = std::find_if(kErrors.begin(), kErrors.end(),
                                    [code](const auto& entry) { return entry.first == code; });
    if (found == kErrors.end())
        return std::nullopt;
    WsaErrorText text = found->second;
    for (const CallCause& special : kCallCauses) {
        if (special.call == call && special.code == code)
            text.cause = special.cause;
    }
    return text;
}

} // namespace socklens::platform
