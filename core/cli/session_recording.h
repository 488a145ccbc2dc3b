// `--session FILE` for the commands that record one (run, watch): the file is opened before
// anything runs and every entry of the journal is written to it as it is appended.
#pragma once

#include "model/journal.h"
#include "model/session_writer.h"

#include <memory>
#include <ostream>
#include <string>

namespace socklens::cli {

struct SessionRecording {
    std::unique_ptr<SessionWriter> writer; ///< none when no file was asked for
    bool failed = false;                   ///< the file could not be opened (said on err)
};

SessionRecording recordSession(const std::string& path, Journal& journal, std::ostream& err);

} // namespace socklens::cli
