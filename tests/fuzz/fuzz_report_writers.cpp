// libFuzzer target: the JSON and CSV report writers, fed whatever the session reader accepts
// from arbitrary bytes, as `socklens-cli report` does. They must never crash or throw, the
// JSON report must parse back, and the CSV report must have a row per entry.
#include "model/session_reader.h"
#include "model/state.h"
#include "report/csv_report.h"
#include "report/json_report.h"

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace {

/// Records in RFC 4180 text: newlines outside quotes.
std::size_t csvRecords(const std::string& text) {
    std::size_t records = 0;
    bool quoted = false;
    for (const char c : text) {
        if (c == '"')
            quoted = !quoted;
        else if (c == '\n' && !quoted)
            ++records;
    }
    return records;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    const socklens::LoadedSession loaded = socklens::readSession(in, "fuzz.jsonl");
    if (loaded.entries.empty())
        return 0;
    const socklens::State state = socklens::fold(loaded.entries);
    const socklens::report::ReportInput input{loaded.entries, state, loaded.header, 0};

    const std::string json = socklens::report::buildJsonReport(input).dump(
        2, ' ', false, nlohmann::json::error_handler_t::replace);
    if (nlohmann::json::parse(json, nullptr, false).is_discarded())
        std::abort();

    std::ostringstream csv;
    socklens::report::writeCsvReport(input, csv);
    if (csvRecords(csv.str()) != loaded.entries.size() + 1) // a header row, then the entries
        std::abort();
    return 0;
}
