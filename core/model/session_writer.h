// Writes the journal to a session file as it grows: one JSON object per line, flushed per
// entry, so a crash loses at most the entry being written.
#pragma once

#include "model/journal_entry.h"

#include <fstream>
#include <string>

namespace socklens {

inline constexpr int kSessionFormatVersion = 1;

class SessionWriter {
public:
    /// Creates or truncates `path` and writes the header line. Throws std::runtime_error.
    explicit SessionWriter(const std::string& path);
    void write(const JournalEntry& entry);

private:
    std::ofstream file_;
    std::string path_;
};

} // namespace socklens
