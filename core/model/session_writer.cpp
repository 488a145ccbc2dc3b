#include "model/session_writer.h"

#include "model/journal_json.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace socklens {

namespace {

// Data a scenario sent is written as hex when it is not UTF-8 (journal_json); `replace`
// only guards the text fields the helpers reported.
std::string compact(const nlohmann::json& object) {
    return object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace

SessionWriter::SessionWriter(const std::string& path, const SessionHeader& header)
    : file_(path, std::ios::trunc | std::ios::binary)
    , path_(path) {
    if (!file_)
        throw std::runtime_error("cannot write the session file " + path);
    file_ << checksummedLine(compact({{"format", kSessionFormatName},
                                      {"format_version", header.formatVersion},
                                      {"socklens_version", header.socklensVersion},
                                      {"kernel", header.kernel}}))
          << '\n';
    flush();
}

void SessionWriter::write(const JournalEntry& entry) {
    append(entry);
    flush();
}

void SessionWriter::write(std::span<const JournalEntry> entries) {
    for (const JournalEntry& entry : entries)
        append(entry);
    flush();
}

void SessionWriter::append(const JournalEntry& entry) {
    file_ << checksummedLine(compact(toJson(entry))) << '\n';
}

void SessionWriter::flush() {
    file_.flush();
    if (!file_)
        throw std::runtime_error("writing the session file " + path_ + " failed");
}

} // namespace socklens
