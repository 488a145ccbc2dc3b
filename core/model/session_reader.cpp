#include "model/session_reader.h"

#include "model/journal_json.h"
#include "model/text_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>

namespace socklens {

namespace {

/// One line of the file and where it starts.
struct Line {
    std::string text;
    std::size_t number = 0;
    std::uint64_t offset = 0;
    bool terminated = true; ///< ended by a newline, not by the end of the file
    bool tooLong = false;   ///< longer than the line limit; `text` is its start
};

std::string where(const Line& line) {
    return "line " + std::to_string(line.number) + " (byte " + std::to_string(line.offset) + ")";
}

std::string entriesText(std::size_t count) {
    return std::to_string(count) + (count == 1 ? " entry" : " entries");
}

/// Whether JSON `text` nests arrays and objects deeper than `limit`, counted before parsing:
/// the parser and the value's destruction recurse once per level.
bool nestedDeeperThan(std::string_view text, int limit) {
    int depth = 0;
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > limit)
                return true;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return false;
}

/// The string at `key`, or "" when it is absent or not a string: a header is untrusted.
std::string stringField(const nlohmann::json& object, const char* key) {
    const auto found = object.find(key);
    return found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

class Reader {
public:
    Reader(std::istream& in, const std::string& name, const SessionLimits& limits)
        : in_(in)
        , name_(name)
        , limits_(limits) {}

    LoadedSession read() {
        std::optional<Line> first = next();
        if (first && dropByteOrderMark(first->text))
            first->offset += 3; // the line itself starts after the mark
        if (first && first->tooLong) {
            result_.error = name_ + " is not a socklens session: its first line is longer than " +
                            bytesText(limits_.lineBytes) + ".";
            return std::move(result_);
        }
        if (!first) {
            result_.error = name_ + " is empty: it is not a socklens session.";
            return std::move(result_);
        }
        if (const std::string problem = readHeader(*first); !problem.empty()) {
            result_.error = name_ + " " + problem;
            return std::move(result_);
        }
        std::string stop;
        while (const std::optional<Line> line = next()) {
            stop = readEntry(*line);
            if (!stop.empty())
                break;
        }
        if (sizeExceeded_)
            stop = "is larger than a session file may be (" + bytesText(limits_.fileBytes) +
                   "); the reading stopped there";
        result_.error = summary(stop);
        return std::move(result_);
    }

private:
    std::optional<Line> next() {
        Line line;
        line.offset = offset_;
        const LineRead read = readBoundedLine(in_, line.text, limits_.lineBytes);
        if (read.status == LineRead::End)
            return std::nullopt;
        line.number = ++lines_;
        line.terminated = read.status != LineRead::Last;
        line.tooLong = read.status == LineRead::TooLong;
        offset_ += read.bytes;
        if (offset_ > limits_.fileBytes) { // the line that crosses the limit is not read
            sizeExceeded_ = true;
            return std::nullopt;
        }
        return line;
    }

    /// Empty when the header is good; else what is wrong with it, as the end of a sentence.
    std::string readHeader(const Line& line) {
        const LineChecksum checksum = verifyLineChecksum(line.text);
        if (checksum == LineChecksum::Differs)
            return "is damaged: the checksum of its header (line 1) does not match.";
        if (nestedDeeperThan(line.text, limits_.nesting))
            return "is not a socklens session: its first line " + nestingProblem() + ".";
        const nlohmann::json header = nlohmann::json::parse(line.text, nullptr, false);
        if (!header.is_object() || stringField(header, "format") != kSessionFormatName)
            return "is not a socklens session: its first line is not a session header.";
        const nlohmann::json version = header.value("format_version", nlohmann::json());
        if (!version.is_number_integer() ||
            version.get<std::int64_t>() < kOldestSessionFormatVersion ||
            version.get<std::int64_t>() > 1'000'000)
            return "has a damaged header: format_version must be a whole number from " +
                   std::to_string(kOldestSessionFormatVersion) + ".";
        result_.header.formatVersion = version.get<int>();
        result_.header.socklensVersion = stringField(header, "socklens_version");
        result_.header.kernel = stringField(header, "kernel");
        if (checksum == LineChecksum::Absent && result_.header.formatVersion >= 2)
            return "is damaged: its header (line 1) has no checksum.";
        return {};
    }

    /// Empty when the line was an entry that follows the last; else what is wrong.
    std::string readEntry(const Line& line) {
        if (line.tooLong)
            return where(line) + " is longer than " + bytesText(limits_.lineBytes) +
                   ", more than a session entry ever is";
        switch (verifyLineChecksum(line.text)) {
        case LineChecksum::Differs:
            return problem(line, "is damaged: its checksum does not match its content");
        case LineChecksum::Absent:
            if (result_.header.formatVersion >= 2)
                return problem(line, "has no checksum");
            break;
        case LineChecksum::Matches:
            break;
        }
        if (nestedDeeperThan(line.text, limits_.nesting))
            return problem(line, nestingProblem());
        const nlohmann::json json = nlohmann::json::parse(line.text, nullptr, false);
        if (json.is_discarded())
            return problem(line, "is not a JSON object");
        JournalEntry entry;
        try {
            entry = journalEntryFromJson(json);
        } catch (const JournalFormatError& error) {
            return problem(line, std::string("is not a journal entry (") + error.what() + ")");
        }
        const std::uint64_t expected = result_.entries.size() + 1;
        if (entry.sequence.value() != expected)
            return problem(line, "holds entry #" + std::to_string(entry.sequence.value()) +
                                     " where #" + std::to_string(expected) + " should follow");
        result_.entries.push_back(std::move(entry));
        return {};
    }

    std::string problem(const Line& line, const std::string& what) const {
        if (!line.terminated)
            return "ends in the middle of " + where(line) +
                   ": the last entry was cut off, as when socklens is stopped while writing it";
        return where(line) + " " + what;
    }

    std::string summary(const std::string& stop) const {
        const std::string loaded = entriesText(result_.entries.size());
        const int version = result_.header.formatVersion;
        if (version > kSessionFormatVersion) {
            std::string sentence =
                name_ + " was written in session format " + std::to_string(version) +
                " by socklens " + result_.header.socklensVersion +
                "; this socklens reads formats " + std::to_string(kOldestSessionFormatVersion) +
                " to " + std::to_string(kSessionFormatVersion) + ". It loaded the " + loaded +
                " it could read";
            return sentence + (stop.empty() ? "." : "; " + stop + ".");
        }
        if (stop.empty())
            return {};
        return name_ + " " + stop + ". It loaded the " + loaded + " before it.";
    }

    std::string nestingProblem() const {
        return "nests deeper than " + std::to_string(limits_.nesting) +
               " levels, more than a session entry ever does";
    }

    std::istream& in_;
    const std::string& name_;
    const SessionLimits limits_;
    LoadedSession result_;
    std::size_t lines_ = 0;
    std::uint64_t offset_ = 0;
    bool sizeExceeded_ = false;
};

} // namespace

LoadedSession readSession(std::istream& in, const std::string& name, const SessionLimits& limits) {
    return Reader(in, name, limits).read();
}

LoadedSession readSessionFile(const std::string& path) {
    if (auto refusal = refuseAsTextFile(path, "session file", SessionLimits{}.fileBytes)) {
        LoadedSession result;
        result.error = std::move(*refusal) + ".";
        return result;
    }
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        LoadedSession result;
        result.error = "cannot open the session file " + path + ": " + std::strerror(errno) + ".";
        return result;
    }
    return readSession(file, path);
}

} // namespace socklens
