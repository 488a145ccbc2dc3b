#include "broker/protocol_info.h"

#include <array>
#include <cstdio>
#include <utility>

namespace socklens::broker {

namespace {

constexpr std::size_t kSize = 628;               ///< sizeof(WSAPROTOCOL_INFOW) on x64
constexpr std::size_t kProtocolNameOffset = 116; ///< szProtocol: WCHAR[256]
constexpr std::size_t kProtocolNameLength = 256;
constexpr std::uint32_t kWineDuplicateMark = 0xff00ff00; ///< in dwServiceFlags4

std::uint32_t u32(std::span<const std::uint8_t> bytes, std::size_t offset) {
    return std::uint32_t(bytes[offset]) | std::uint32_t(bytes[offset + 1]) << 8 |
           std::uint32_t(bytes[offset + 2]) << 16 | std::uint32_t(bytes[offset + 3]) << 24;
}

std::int32_t i32(std::span<const std::uint8_t> bytes, std::size_t offset) {
    return std::int32_t(u32(bytes, offset));
}

std::string hex32(std::uint32_t value) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%x", value);
    return text;
}

/// The names of the bits set in `value`: "A|B".
template <std::size_t N>
std::string bitNames(std::uint32_t value,
                     const std::array<std::pair<std::uint32_t, const char*>, N>& names) {
    std::string text;
    for (const auto& [bit, name] : names) {
        if (value & bit)
            text += (text.empty() ? "" : "|") + std::string(name);
    }
    return text;
}

/// "0x20066 (XP1_GUARANTEED_DELIVERY|...)".
template <std::size_t N>
std::string withBits(std::uint32_t value,
                     const std::array<std::pair<std::uint32_t, const char*>, N>& names) {
    const std::string text = bitNames(value, names);
    return hex32(value) + (text.empty() ? "" : " (" + text + ")");
}

std::string named(std::int32_t value,
                  std::initializer_list<std::pair<std::int32_t, const char*>> names) {
    for (const auto& [known, name] : names) {
        if (value == known)
            return std::to_string(value) + " (" + name + ")";
    }
    return std::to_string(value);
}

constexpr std::array<std::pair<std::uint32_t, const char*>, 20> kServiceFlags1{{
    {0x1, "XP1_CONNECTIONLESS"},
    {0x2, "XP1_GUARANTEED_DELIVERY"},
    {0x4, "XP1_GUARANTEED_ORDER"},
    {0x8, "XP1_MESSAGE_ORIENTED"},
    {0x10, "XP1_PSEUDO_STREAM"},
    {0x20, "XP1_GRACEFUL_CLOSE"},
    {0x40, "XP1_EXPEDITED_DATA"},
    {0x80, "XP1_CONNECT_DATA"},
    {0x100, "XP1_DISCONNECT_DATA"},
    {0x200, "XP1_SUPPORT_BROADCAST"},
    {0x400, "XP1_SUPPORT_MULTIPOINT"},
    {0x800, "XP1_MULTIPOINT_CONTROL_PLANE"},
    {0x1000, "XP1_MULTIPOINT_DATA_PLANE"},
    {0x2000, "XP1_QOS_SUPPORTED"},
    {0x4000, "XP1_INTERRUPT"},
    {0x8000, "XP1_UNI_SEND"},
    {0x10000, "XP1_UNI_RECV"},
    {0x20000, "XP1_IFS_HANDLES"},
    {0x40000, "XP1_PARTIAL_MESSAGE"},
    {0x80000, "XP1_SAN_SUPPORT_SDP"},
}};

constexpr std::array<std::pair<std::uint32_t, const char*>, 6> kProviderFlags{{
    {0x1, "PFL_MULTIPLE_PROTO_ENTRIES"},
    {0x2, "PFL_RECOMMENDED_PROTO_ENTRY"},
    {0x4, "PFL_HIDDEN"},
    {0x8, "PFL_MATCHES_PROTOCOL_ZERO"},
    {0x10, "PFL_NETWORKDIRECT_PROVIDER"},
    {0x20, "PFL_NETWORKDIRECT_PROVIDER_AND_NETWORK"},
}};

constexpr std::array<std::pair<std::uint32_t, const char*>, 8> kWsaFlags{{
    {0x01, "WSA_FLAG_OVERLAPPED"},
    {0x02, "WSA_FLAG_MULTIPOINT_C_ROOT"},
    {0x04, "WSA_FLAG_MULTIPOINT_C_LEAF"},
    {0x08, "WSA_FLAG_MULTIPOINT_D_ROOT"},
    {0x10, "WSA_FLAG_MULTIPOINT_D_LEAF"},
    {0x40, "WSA_FLAG_ACCESS_SYSTEM_SECURITY"},
    {0x80, "WSA_FLAG_NO_HANDLE_INHERIT"},
    {0x100, "WSA_FLAG_REGISTERED_IO"},
}};

std::string guid(std::span<const std::uint8_t> bytes, std::size_t offset) {
    char text[40];
    std::snprintf(text, sizeof text, "{%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}",
                  u32(bytes, offset), unsigned(bytes[offset + 4] | bytes[offset + 5] << 8),
                  unsigned(bytes[offset + 6] | bytes[offset + 7] << 8), bytes[offset + 8],
                  bytes[offset + 9], bytes[offset + 10], bytes[offset + 11], bytes[offset + 12],
                  bytes[offset + 13], bytes[offset + 14], bytes[offset + 15]);
    return text;
}

/// szProtocol: UTF-16LE up to its NUL; shown as ASCII, anything else as '?'.
std::string protocolName(std::span<const std::uint8_t> bytes) {
    std::string name;
    for (std::size_t i = 0; i < kProtocolNameLength; ++i) {
        const std::size_t at = kProtocolNameOffset + 2 * i;
        const unsigned unit = bytes[at] | bytes[at + 1] << 8;
        if (unit == 0)
            break;
        name += unit >= 0x20 && unit < 0x7F ? char(unit) : '?';
    }
    return name;
}

} // namespace

std::string hexBytes(std::span<const std::uint8_t> bytes) {
    std::string text;
    char pair[4];
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        std::snprintf(pair, sizeof pair, "%02x", bytes[i]);
        text += (i == 0 ? "" : i % 32 == 0 ? "\n" : " ") + std::string(pair);
    }
    return text;
}

std::string wsaFlagNames(std::uint32_t flags) {
    const std::string names = bitNames(flags, kWsaFlags);
    return flags == 0 ? "0" : names.empty() ? hex32(flags) : names;
}

std::string describeWsaFlags(std::uint32_t flags) {
    return flags == 0 ? "socket()" : "WSASocket(" + wsaFlagNames(flags) + ")";
}

std::string describeProtocolInfo(std::span<const std::uint8_t> bytes) {
    if (bytes.size() != kSize)
        return std::to_string(bytes.size()) + " bytes: not a WSAPROTOCOL_INFOW (" +
               std::to_string(kSize) + " bytes on x64)";
    std::string chain;
    const std::int32_t chainLength = i32(bytes, 40);
    for (std::int32_t i = 0; i < chainLength && i < 7; ++i)
        chain += (i == 0 ? " [" : ", ") + std::to_string(u32(bytes, 44 + 4 * std::size_t(i)));
    if (!chain.empty())
        chain += "]";
    // Wine's WSADuplicateSocket already makes the target's handle and marks the structure so
    // that WSASocket in the target just takes that handle (which is why a reuse succeeds).
    const bool wineMark = u32(bytes, 12) == kWineDuplicateMark;
    return "dwServiceFlags1 " + withBits(u32(bytes, 0), kServiceFlags1) + "\ndwServiceFlags2 " +
           hex32(u32(bytes, 4)) + "\ndwServiceFlags3 " + hex32(u32(bytes, 8)) +
           (wineMark
                ? " (Wine: the handle it made in the target, " + std::to_string(u32(bytes, 8)) + ")"
                : "") +
           "\ndwServiceFlags4 " + hex32(u32(bytes, 12)) +
           (wineMark ? " (Wine's mark of a duplicated socket)" : "") + "\ndwProviderFlags " +
           withBits(u32(bytes, 16), kProviderFlags) + "\nProviderId " + guid(bytes, 20) +
           "\ndwCatalogEntryId " + std::to_string(u32(bytes, 36)) + "\nProtocolChain.ChainLen " +
           named(chainLength, {{0, "LAYERED_PROTOCOL"}, {1, "BASE_PROTOCOL"}}) + chain +
           "\niVersion " + std::to_string(i32(bytes, 72)) + "\niAddressFamily " +
           named(i32(bytes, 76), {{1, "AF_UNIX"}, {2, "AF_INET"}, {23, "AF_INET6"}}) +
           "\niMaxSockAddr " + std::to_string(i32(bytes, 80)) + "\niMinSockAddr " +
           std::to_string(i32(bytes, 84)) + "\niSocketType " +
           named(i32(bytes, 88), {{1, "SOCK_STREAM"}, {2, "SOCK_DGRAM"}, {3, "SOCK_RAW"}}) +
           "\niProtocol " + named(i32(bytes, 92), {{6, "IPPROTO_TCP"}, {17, "IPPROTO_UDP"}}) +
           "\niProtocolMaxOffset " + std::to_string(i32(bytes, 96)) + "\niNetworkByteOrder " +
           named(i32(bytes, 100), {{0, "BIGENDIAN"}, {1, "LITTLEENDIAN"}}) + "\niSecurityScheme " +
           std::to_string(i32(bytes, 104)) + "\ndwMessageSize " + hex32(u32(bytes, 108)) +
           "\ndwProviderReserved " + hex32(u32(bytes, 112)) + "\nszProtocol \"" +
           protocolName(bytes) + "\"";
}

} // namespace socklens::broker
