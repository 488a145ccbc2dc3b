// Reads a session file back: the header and the longest valid prefix of its entries. Bad
// input never throws and never yields a damaged entry: the reading stops at the first line
// that is cut off, fails its checksum, is not an entry or does not follow the one before,
// and says so in a sentence naming the line and its byte offset. A line longer, a JSON value
// nested deeper or a file larger than SessionLimits allow stops the reading the same way,
// before the line is parsed.
#pragma once

#include "model/journal_entry.h"
#include "model/session_format.h"

#include <istream>
#include <string>
#include <vector>

namespace socklens {

struct LoadedSession {
    SessionHeader header;
    std::vector<JournalEntry> entries; ///< numbered from 1 without gaps
    std::string error;                 ///< empty when the whole file was read
    bool complete() const { return error.empty(); }
};

/// `name` (a path) is what the error sentence calls the file.
LoadedSession readSession(std::istream& in, const std::string& name,
                          const SessionLimits& limits = {});
/// A path that is not a regular file (a directory, a device, a FIFO) is refused by name.
LoadedSession readSessionFile(const std::string& path);

} // namespace socklens
