// What the Properties dialogs show: everything the session knows about one socket or one
// process, as titled tables of text. Folded state only, plus (for a process) what /proc says
// of it now: its command line and user.
#pragma once

#include "model/state.h"

#include <QString>
#include <QStringList>
#include <vector>

namespace socklens::ui {

/// One titled table of a details sheet; a two-column "what / value" list is one too.
struct DetailSection {
    QString title;
    QStringList headers;
    std::vector<QStringList> rows;
    QString empty; ///< what to say when there are no rows
};

using DetailSheet = std::vector<DetailSection>;

/// Identity, addresses, state, every descriptor with its process, every option through
/// each descriptor, and the registration history of `socket`. Empty when it is unknown.
DetailSheet socketDetails(const State& state, SocketId socket);

/// What /proc says of a process now: its command line and its user, or why it cannot say.
struct ProcessOsFacts {
    QString commandLine;
    QString user;
};
ProcessOsFacts readProcessOsFacts(const ProcessState& process);

/// Identity, command line, user and all descriptors of `process`. Empty when it is unknown.
DetailSheet processDetails(const State& state, ProcessId process, const ProcessOsFacts& facts);

} // namespace socklens::ui
