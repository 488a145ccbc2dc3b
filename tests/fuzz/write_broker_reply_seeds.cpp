// Writes a seed corpus for fuzz_broker_replies into the directory named by argv[1]: a session
// whose every request gets a plausible reply, and one record of each other action, so the
// fuzzer starts from replies the broker accepts and from each way of answering wrongly.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

using Bytes = std::vector<std::uint8_t>;

/// One record per request of fuzz_broker_replies' command sequence (about a dozen).
Bytes session(std::uint8_t action, const Bytes& bytes) {
    Bytes input;
    for (int request = 0; request < 16; ++request) {
        input.push_back(request == 0 ? 2 : action); // the create succeeds, so the rest run
        input.push_back(std::uint8_t(bytes.size()));
        input.insert(input.end(), bytes.begin(), bytes.end());
    }
    return input;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: write_broker_reply_seeds DIRECTORY\n");
        return 2;
    }
    const std::filesystem::path directory = argv[1];
    std::filesystem::create_directories(directory);
    const Bytes contents{3, 0, 0, 0, 0, 0, 0, 0x12, 0x34, 0, 0, 0, 0, 0, 0, 8};
    for (std::uint8_t action = 0; action < 6; ++action) {
        std::ofstream out(directory / ("action-" + std::to_string(action)),
                          std::ios::binary | std::ios::trunc);
        const Bytes input = session(action, contents);
        out.write(reinterpret_cast<const char*>(input.data()), std::streamsize(input.size()));
        if (!out)
            return 1;
    }
    return 0;
}
