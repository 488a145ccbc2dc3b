// Writes the journal to a session file as it grows: a header line, then one checksummed JSON
// object per entry. Each write ends with a flush, so a killed process loses at most what it
// had not handed to write yet.
#pragma once

#include "model/journal_entry.h"
#include "model/session_format.h"

#include <fstream>
#include <span>
#include <string>

namespace socklens {

class SessionWriter {
public:
    /// Creates or truncates `path` and writes the header line. Throws std::runtime_error.
    explicit SessionWriter(const std::string& path,
                           const SessionHeader& header = currentSessionHeader());
    void write(const JournalEntry& entry);
    /// Writes a batch with one flush at its end.
    void write(std::span<const JournalEntry> entries);

    const std::string& path() const { return path_; }

private:
    void append(const JournalEntry& entry);
    void flush();

    std::ofstream file_;
    std::string path_;
};

} // namespace socklens
