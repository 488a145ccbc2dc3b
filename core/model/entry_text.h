// One line of text per journal entry, as the CLI prints it and the journal log shows it.
#pragma once

#include "model/state.h"

#include <string>

namespace socklens {

/// `state` is the state including `entry` (names of processes are looked up in it).
std::string describeEntry(const JournalEntry& entry, const State& state);

} // namespace socklens
