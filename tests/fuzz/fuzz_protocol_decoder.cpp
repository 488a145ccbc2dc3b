// libFuzzer target for the frame decoder. The first kChunkTableSize input bytes choose the
// sizes of the slices the rest is fed in (0 = everything left), so incremental decoding is
// exercised, not just whole buffers. Decoding either yields frames or throws ProtocolError;
// anything else (a crash, a sanitizer report, another exception) is a finding. A decoded
// frame must also re-encode to exactly the bytes it came from, since the encoding is canonical.
#include "protocol/codec.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

namespace {
constexpr std::size_t kChunkTableSize = 4;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace socklens::protocol;
    if (size < kChunkTableSize)
        return 0;
    const std::span<const std::uint8_t> chunkSizes(data, kChunkTableSize);
    const std::span<const std::uint8_t> stream(data + kChunkTableSize, size - kChunkTableSize);

    Decoder decoder;
    std::size_t offset = 0;
    std::size_t frameStart = 0;
    try {
        for (std::size_t chunk = 0; offset < stream.size(); ++chunk) {
            const std::uint8_t wanted = chunkSizes[chunk % kChunkTableSize];
            const std::size_t length = wanted == 0
                                           ? stream.size() - offset
                                           : std::min<std::size_t>(wanted, stream.size() - offset);
            decoder.feed(stream.subspan(offset, length));
            offset += length;
            while (std::optional<DecodedFrame> frame = decoder.next()) {
                const std::vector<std::uint8_t> again = encodeFrame(frame->message, frame->fdCount);
                if (frameStart + again.size() > stream.size() ||
                    !std::equal(again.begin(), again.end(), stream.begin() + frameStart))
                    __builtin_trap();
                frameStart += again.size();
            }
        }
    } catch (const ProtocolError&) {
        // The expected outcome for most inputs; the decoder must now stay failed.
        try {
            decoder.next();
            __builtin_trap();
        } catch (const ProtocolError&) {
        }
    }
    return 0;
}
