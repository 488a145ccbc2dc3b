#include "report/csv_report.h"

#include "model/entry_text.h"
#include "model/journal_json.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace socklens::report {

std::string csvQuoted(std::string_view field) {
    std::string text = "\"";
    for (const char c : field) {
        if (c == '"')
            text += '"';
        text += c;
    }
    return text + '"';
}

std::string csvField(std::string_view field) {
    if (field.find_first_of(",\"\r\n") == std::string_view::npos)
        return std::string(field);
    return csvQuoted(field);
}

void writeCsvReport(const ReportInput& input, std::ostream& out, const ReportProgress& progress) {
    out << "seq,time_us,seconds,category,type,text,data\r\n";
    const std::int64_t start = input.journal.empty() ? 0 : input.journal.front().timeUs;
    State state; // each entry's text names things as they were when it was journaled
    for (std::size_t i = 0; i < input.journal.size(); ++i) {
        const JournalEntry& entry = input.journal[i];
        apply(state, entry);
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%.6f",
                      (double(entry.timeUs) - double(start)) / 1e6);
        out << entry.sequence.value() << ',' << entry.timeUs << ',' << seconds << ','
            << toString(categoryOf(entry.payload)) << ',' << nameOf(entry.payload) << ','
            << csvQuoted(describeEntry(entry, state)) << ','
            << csvQuoted(toJson(entry)["data"].dump(-1, ' ', false,
                                                    nlohmann::json::error_handler_t::replace))
            << "\r\n";
        if (progress && i % 1024 == 0)
            progress(i, input.journal.size());
    }
}

} // namespace socklens::report
