#include "report/handoff_order.h"

#include <algorithm>

namespace socklens::report {

std::vector<HandoffStepState> stepsInOrder(const DuplicationState& duplication) {
    std::vector<HandoffStepState> steps = duplication.steps;
    std::ranges::stable_sort(steps, {}, &HandoffStepState::step);
    return steps;
}

} // namespace socklens::report
