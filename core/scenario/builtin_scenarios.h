// The scenarios shipped inside the binaries (resources/scenarios/*.scenario).
#pragma once

#include <string_view>
#include <vector>

namespace socklens::scenario {

struct BuiltinScenario {
    std::string_view name; ///< used as builtin:NAME
    std::string_view text;
};

const std::vector<BuiltinScenario>& builtinScenarios();

} // namespace socklens::scenario
