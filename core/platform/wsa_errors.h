// Names and causes of the Winsock error codes (WSAGetLastError), as data: the Winsock helper
// words its failures with them (C12), and tests on any OS can read them.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace socklens::platform {

struct WsaErrorText {
    std::string_view name;  ///< "WSAEINVAL"
    std::string_view cause; ///< completes "CALL failed: ..."
};

/// The name and cause of a Winsock error code; nullopt for a code Winsock does not define.
/// `call` may make the cause more precise: WSAEINVAL from WSADuplicateSocket means a bad pid.
std::optional<WsaErrorText> wsaErrorText(std::int32_t code, std::string_view call = {});

} // namespace socklens::platform
