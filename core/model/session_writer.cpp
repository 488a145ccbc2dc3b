#include "model/session_writer.h"

#include "model/journal_json.h"
#include "version.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace socklens {

SessionWriter::SessionWriter(const std::string& path)
    : file_(path, std::ios::trunc)
    , path_(path) {
    if (!file_)
        throw std::runtime_error("cannot write the session file " + path);
    file_ << nlohmann::json{{"format", "socklens-session"},
                            {"format_version", kSessionFormatVersion},
                            {"socklens_version", kVersion}}
                 .dump()
          << '\n'
          << std::flush;
}

void SessionWriter::write(const JournalEntry& entry) {
    // Data a scenario sent need not be UTF-8; JSON text must be, so such bytes become U+FFFD.
    file_ << toJson(entry).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n'
          << std::flush;
    if (!file_)
        throw std::runtime_error("writing the session file " + path_ + " failed");
}

} // namespace socklens
