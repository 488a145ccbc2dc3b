// Reading a text file socklens did not write itself (a scenario, a session): what is not a
// regular file is refused by name before it is opened, and lines are read with a bound, so
// /dev/zero, a FIFO or a one-line 10 GB file cost nothing and give a sentence.
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>

namespace socklens {

/// Why `path` cannot be read as a `kind` ("scenario file") of at most `maxBytes`: it does
/// not exist, is a directory, a device, a FIFO, a socket or larger than the limit. Nothing
/// when it is a regular file within the limit. Never opens the file (a FIFO would block).
std::optional<std::string> refuseAsTextFile(const std::string& path, std::string_view kind,
                                            std::uint64_t maxBytes);

struct LineRead {
    enum Status {
        Line,    ///< a line ended by a newline
        Last,    ///< the last line, not ended by a newline
        TooLong, ///< more than the limit; the line holds the first `maxBytes` of it
        End,     ///< nothing left
    } status = End;
    std::size_t bytes = 0; ///< consumed from the stream, with the '\r' and newline
};
/// Reads one line (without its newline, and without a '\r' before it) holding at most
/// `maxBytes`; a longer line is not read further.
LineRead readBoundedLine(std::istream& in, std::string& line, std::size_t maxBytes);

/// Drops a UTF-8 byte-order mark at the start of `text`; true if there was one.
bool dropByteOrderMark(std::string& text);

/// The start of `text`, at most `maxBytes` and cut on a UTF-8 boundary, with control bytes
/// shown as '?' and "..." when cut: a line quoted in an error message, never the whole line.
std::string excerpt(std::string_view text, std::size_t maxBytes = 40);

/// "1 MiB", "4096 bytes": a limit in words.
std::string bytesText(std::uint64_t bytes);

} // namespace socklens
