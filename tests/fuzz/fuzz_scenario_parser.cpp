// libFuzzer target: the scenario parser on arbitrary text. It must never crash, hang or throw
// anything but a ScenarioError, whose sentence quotes only a cut excerpt of the input; what
// it accepts has steps on increasing lines.
#include "scenario/scenario.h"

#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const socklens::scenario::Scenario scenario =
            socklens::scenario::parseScenario(text, "fuzz", "fuzz.scenario");
        if (scenario.steps.empty())
            std::abort();
        for (std::size_t i = 1; i < scenario.steps.size(); ++i) {
            if (scenario.steps[i].line <= scenario.steps[i - 1].line)
                std::abort();
        }
    } catch (const socklens::scenario::ScenarioError& error) {
        // The longest sentence lists the known options after two cut words: far below this.
        if (std::string(error.what()).size() > 512)
            std::abort();
    }
    return 0;
}
