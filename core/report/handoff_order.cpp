#include "report/handoff_order.h"

#include <algorithm>

namespace socklens::report {

std::vector<HandoffStepState> stepsInOrder(const DuplicationState& duplication) {
    std::vector<HandoffStepState> steps = duplication.steps;
    std::stable_sort(
        steps.begin(), steps.end(),
        [](const HandoffStepState& a, const HandoffStepState& b) { return a.step < b.step; });
    return steps;
}

} // namespace socklens::report
