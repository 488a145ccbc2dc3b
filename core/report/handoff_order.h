// A duplication's handoff steps as a reader follows them: 1..10 in step order. The journal
// keeps them in the order they arrived, and a step one side reports can arrive after a later
// step of the other side.
#pragma once

#include "model/state.h"

#include <vector>

namespace socklens::report {

/// `duplication`'s steps by step number; a step journaled twice keeps its journal order.
std::vector<HandoffStepState> stepsInOrder(const DuplicationState& duplication);

} // namespace socklens::report
