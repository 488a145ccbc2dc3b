// The WSAPROTOCOL_INFOW that WSADuplicateSocket fills in, read on the broker's side of the
// journey (C1, C11): its bytes in hex and its fields by name. The layout is Windows x64's; the
// Winsock helper checks the offsets against the SDK at compile time.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace socklens::broker {

/// "53 4b 4c 4e ..." in lines of 32 bytes.
std::string hexBytes(std::span<const std::uint8_t> bytes);

/// Every field by name, one per line ("iAddressFamily 2 (AF_INET)"), or a sentence saying
/// why the bytes are not a WSAPROTOCOL_INFOW.
std::string describeProtocolInfo(std::span<const std::uint8_t> bytes);

/// "WSA_FLAG_OVERLAPPED|WSA_FLAG_NO_HANDLE_INHERIT"; "0" for none.
std::string wsaFlagNames(std::uint32_t flags);
/// How a socket made with `flags` was made: "socket()", "WSASocket(WSA_FLAG_OVERLAPPED)".
std::string describeWsaFlags(std::uint32_t flags);

} // namespace socklens::broker
