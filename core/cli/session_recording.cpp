#include "cli/session_recording.h"

namespace socklens::cli {

SessionRecording recordSession(const std::string& path, Journal& journal, std::ostream& err) {
    SessionRecording recording;
    if (path.empty())
        return recording;
    try {
        recording.writer = std::make_unique<SessionWriter>(path);
    } catch (const std::exception& error) {
        err << "socklens-cli: " << error.what() << '\n';
        recording.failed = true;
        return recording;
    }
    journal.addListener(
        [writer = recording.writer.get()](const JournalEntry& entry) { writer->write(entry); });
    return recording;
}

} // namespace socklens::cli
