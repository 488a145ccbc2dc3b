// libFuzzer target: the session reader on arbitrary bytes, then the fold and the CLI's text
// of whatever it accepted. It must never crash, hang or read out of bounds, and what it
// accepts must be numbered from 1 without gaps.
#include "model/entry_text.h"
#include "model/session_reader.h"
#include "model/state.h"

#include <cstdlib>
#include <sstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    const socklens::LoadedSession loaded = socklens::readSession(in, "fuzz.jsonl");
    socklens::State state;
    for (std::size_t i = 0; i < loaded.entries.size(); ++i) {
        if (loaded.entries[i].sequence.value() != i + 1)
            std::abort();
        socklens::apply(state, loaded.entries[i]);
        (void)socklens::describeEntry(loaded.entries[i], state);
    }
    if (loaded.complete() == !loaded.error.empty())
        std::abort();
    return 0;
}
