#include "model/session_format.h"

#include "version.h"

#include <array>
#include <cstdio>
#include <sys/utsname.h>

namespace socklens {

namespace {

constexpr std::string_view kChecksumPrefix = R"({"crc32":")";
// {"crc32":"xxxxxxxx",  — the prefix, eight hex digits, a quote and a comma.
constexpr std::size_t kChecksumLength = kChecksumPrefix.size() + 8 + 2;

constexpr std::array<std::uint32_t, 256> makeCrcTable() {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    return table;
}
constexpr auto kCrcTable = makeCrcTable();

std::string hex8(std::uint32_t value) {
    char text[9];
    std::snprintf(text, sizeof text, "%08x", value);
    return text;
}

} // namespace

SessionHeader currentSessionHeader() {
    return SessionHeader{kSessionFormatVersion, kVersion, hostKernel()};
}

std::string hostKernel() {
    utsname name{};
    if (::uname(&name) != 0)
        return "unknown";
    return std::string(name.sysname) + " " + name.release;
}

std::uint32_t crc32(std::string_view bytes) {
    std::uint32_t crc = 0xFFFFFFFFu;
    for (const char byte : bytes)
        crc = kCrcTable[(crc ^ static_cast<unsigned char>(byte)) & 0xFF] ^ (crc >> 8);
    return crc ^ 0xFFFFFFFFu;
}

std::string checksummedLine(std::string_view object) {
    const std::string_view members = object.substr(1); // after the opening brace
    return std::string(kChecksumPrefix) + hex8(crc32(members)) + "\"," + std::string(members);
}

LineChecksum verifyLineChecksum(std::string_view line) {
    if (!line.starts_with(kChecksumPrefix))
        return LineChecksum::Absent;
    if (line.size() <= kChecksumLength || line.substr(kChecksumLength - 2, 2) != "\",")
        return LineChecksum::Differs;
    const std::string_view written = line.substr(kChecksumPrefix.size(), 8);
    return written == hex8(crc32(line.substr(kChecksumLength))) ? LineChecksum::Matches
                                                                : LineChecksum::Differs;
}

} // namespace socklens
