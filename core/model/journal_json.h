// Journal entries as JSON objects: the session file's lines and the reports' raw material.
// {"seq":12,"time_us":...,"type":"CountObserved","data":{...}}
#pragma once

#include "model/journal_entry.h"

#include <nlohmann/json_fwd.hpp>
#include <stdexcept>

namespace socklens {

/// A JSON value that is not a journal entry; the message names the field.
class JournalFormatError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

nlohmann::json toJson(const JournalEntry& entry);
/// Throws JournalFormatError naming what is wrong.
JournalEntry journalEntryFromJson(const nlohmann::json& json);

} // namespace socklens
