// Writes a seed corpus for fuzz_protocol_decoder into the directory named by argv[1]: one
// valid frame of every message type, and one stream of all of them fed in small slices.
// The input layout (a 4-byte slice-size table, then the stream) is fuzz_protocol_decoder's.
#include "protocol/codec.h"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace {

using namespace socklens;
using namespace socklens::protocol;
using Bytes = std::vector<std::uint8_t>;

template <std::size_t... I> std::vector<Message> oneOfEach(std::index_sequence<I...>) {
    return {Message(std::in_place_index<I>)...};
}

std::vector<Message> seedMessages() {
    std::vector<Message> messages =
        oneOfEach(std::make_index_sequence<std::variant_size_v<Message>>{});
    // A few with nested elements and strings, so the fuzzer starts from deep structures.
    const DescriptorDescription descriptor{
        5,
        {4711, 2, 1, 6, SocketKindSeen::TcpConnected, "127.0.0.1:1", "127.0.0.1:2", "ESTABLISHED"}};
    messages.push_back(DescriptorsReply{
        1, {{descriptor, 0, {{SocketOption::KeepAlive, 1, 0}}}, {descriptor, 42, {}}}});
    messages.push_back(ObservationReply{
        2, {{descriptor, 42, {{SocketOption::RcvBuf, 4096, 0}, {SocketOption::Linger, -1, 0}}}}});
    messages.push_back(Failure{3, "setsockopt(SO_RCVBUF)", 22, "EINVAL", "Invalid argument."});
    messages.push_back(Send{4, 6, {'p', 'i', 'n', 'g'}});
    messages.push_back(HoldersReply{5,
                                    {{0, 32, 0x34, 1}, {0, 48, 0x40, 0}},
                                    {{32, "socklens-helper.exe"}, {48, "handle-taker.exe"}},
                                    {2},
                                    {"no object addresses"}});
    messages.push_back(ProcessSocketsReply{
        6, {{32, "server.exe"}}, {{0x3C, descriptor.socket, 1}}, {"no object addresses"}});
    return messages;
}

bool write(const std::filesystem::path& path, const Bytes& chunkSizes, const Bytes& stream) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(chunkSizes.data()), std::streamsize(chunkSizes.size()));
    out.write(reinterpret_cast<const char*>(stream.data()), std::streamsize(stream.size()));
    return bool(out);
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s CORPUS_DIRECTORY\n", argv[0]);
        return 2;
    }
    const std::filesystem::path directory = argv[1];
    std::filesystem::create_directories(directory);

    Bytes all;
    int index = 0;
    for (const Message& message : seedMessages()) {
        const Bytes frame = encodeFrame(message, std::uint8_t(index % 3));
        all.insert(all.end(), frame.begin(), frame.end());
        const std::string name =
            "seed-" + std::to_string(index++) + "-" + std::string(toString(typeOf(message)));
        if (!write(directory / name, {0, 0, 0, 0}, frame)) {
            std::fprintf(stderr, "could not write %s\n", (directory / name).c_str());
            return 1;
        }
    }
    if (!write(directory / "seed-stream", {1, 7, 13, 0}, all)) {
        std::fprintf(stderr, "could not write %s\n", (directory / "seed-stream").c_str());
        return 1;
    }
    return 0;
}
