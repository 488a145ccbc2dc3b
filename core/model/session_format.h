// The session file's shape, shared by its writer and its reader: a header line, then one
// journal entry per line, each line carrying a CRC-32 of itself so damage is found, not
// folded. Schema: docs/session-format.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace socklens {

inline constexpr int kSessionFormatVersion = 6;
/// Format 1 (no checksums, no kernel) is still read.
inline constexpr int kOldestSessionFormatVersion = 1;
inline constexpr std::string_view kSessionFormatName = "socklens-session";

/// Limits that keep a hostile file cheap (docs/session-format.md). A recorded entry is a
/// few hundred bytes and nests four levels deep; a long session is tens of megabytes.
struct SessionLimits {
    std::uint64_t fileBytes = 1024ull * 1024 * 1024;
    std::size_t lineBytes = 1024 * 1024;
    int nesting = 32; ///< levels of JSON arrays and objects in one line
};

/// What the header line says about the session.
struct SessionHeader {
    int formatVersion = kSessionFormatVersion;
    std::string socklensVersion; ///< the socklens that recorded it
    std::string kernel;          ///< "Linux 6.1.0-18-amd64"; empty in format 1 files
};

/// The header of a session recorded now, on this machine, by this build.
SessionHeader currentSessionHeader();
/// The system name and release of this machine (uname), e.g. "Linux 6.1.0-18-amd64".
std::string hostKernel();

/// CRC-32 (the zlib/PNG polynomial) of `bytes`.
std::uint32_t crc32(std::string_view bytes);

/// One line of the file (without its newline) for a compact JSON object `object`:
/// {"crc32":"89abcdef",<the object's members>}. The checksum covers the bytes after the
/// comma that follows it, through the closing brace.
std::string checksummedLine(std::string_view object);

/// Whether `line` starts with a checksum, and if so whether it matches.
enum class LineChecksum { Absent, Matches, Differs };
LineChecksum verifyLineChecksum(std::string_view line);

} // namespace socklens
