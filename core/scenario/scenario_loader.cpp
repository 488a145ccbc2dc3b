// Where a scenario's text comes from: a file, checked before it is read (docs/scenario-format.md,
// Limits), or a built-in compiled into the binary. The syntax is scenario_parser.cpp's.
#include "model/text_file.h"
#include "scenario/builtin_scenarios.h"
#include "scenario/scenario.h"

#include <fstream>

namespace socklens::scenario {

Scenario loadScenario(const std::string& reference) {
    constexpr std::string_view prefix = "builtin:";
    if (reference.rfind(prefix, 0) == 0) {
        const std::string name = reference.substr(prefix.size());
        std::string available;
        for (const BuiltinScenario& builtin : builtinScenarios()) {
            if (builtin.name == name)
                return parseScenario(std::string(builtin.text), name, reference);
            available += (available.empty() ? "" : ", ") + std::string(builtin.name);
        }
        throw ScenarioError("there is no built-in scenario \"" + name +
                            "\" (built-ins: " + available + ")");
    }
    if (const auto refusal = refuseAsTextFile(reference, "scenario file", kMaxScenarioBytes))
        throw ScenarioError(*refusal);
    std::ifstream file(reference, std::ios::binary);
    if (!file)
        throw ScenarioError("cannot open the scenario file " + reference);
    // One byte past the limit, so a file that grew since it was checked is still refused.
    std::string text(kMaxScenarioBytes + 1, '\0');
    file.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(file.gcount()));
    std::string stem = reference.substr(reference.find_last_of('/') + 1);
    stem = stem.substr(0, stem.find('.'));
    return parseScenario(text, stem, reference);
}

} // namespace socklens::scenario
