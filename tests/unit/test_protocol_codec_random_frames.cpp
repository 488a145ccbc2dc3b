// Random and corrupted frames, fed in random slices, either decode canonically or throw.
#include "protocol_codec_frames.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <gtest/gtest.h>
#include <random>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace socklens::protocol {
namespace {

using namespace socklens::protocol::codec_frames;

// Random, valid values for any message, driven by its fields().
struct RandomFiller {
    std::mt19937_64& random;
    template <class T> void operator()(T& value) {
        if constexpr (wire::WireInteger<T>) {
            value = static_cast<T>(random());
        } else if constexpr (std::is_enum_v<T>) {
            constexpr wire::EnumRange<T> range = wire::kWireEnum<T>;
            const auto span = unsigned(range.last) - unsigned(range.first) + 1;
            value = static_cast<T>(unsigned(range.first) + random() % span);
        } else if constexpr (std::same_as<T, std::string>) {
            value.resize(random() % 6);
            for (char& c : value)
                c = static_cast<char>(random());
        } else if constexpr (std::same_as<T, Bytes>) {
            value.resize(random() % 10);
            for (std::uint8_t& byte : value)
                byte = static_cast<std::uint8_t>(random());
        } else if constexpr (wire::IsVector<T>::value) {
            value.resize(random() % 3);
            for (auto& element : value)
                (*this)(element);
        } else {
            value.fields(*this);
        }
    }
};

template <class M> Message randomMessageOf(std::mt19937_64& random) {
    M message;
    RandomFiller filler{random};
    message.fields(filler);
    return message;
}

template <std::size_t... I>
Message randomMessage(std::mt19937_64& random, std::index_sequence<I...>) {
    using Make = Message (*)(std::mt19937_64&);
    constexpr std::array<Make, sizeof...(I)> makers{
        &randomMessageOf<std::variant_alternative_t<I, Message>>...};
    return makers[random() % makers.size()](random);
}

Message randomMessage(std::mt19937_64& random) {
    return randomMessage(random, std::make_index_sequence<std::variant_size_v<Message>>{});
}

// Random and corrupted frames, fed in random slices, either decode or throw ProtocolError.
// Whatever decodes must encode back to exactly the bytes it came from: the encoding is
// canonical, so a decoder that accepted anything looser would show up here.
TEST(ProtocolCodec, TenThousandRandomFramesNeverCrash) {
    std::mt19937_64 random(20240611);
    std::size_t decodedCount = 0;
    std::size_t errorCount = 0;
    for (int round = 0; round < 10000; ++round) {
        const Message original = randomMessage(random);
        const auto fdCount = static_cast<std::uint8_t>(random());
        Bytes stream = encodeFrame(original, fdCount);
        const unsigned mode = random() % 5;
        if (mode == 1) { // flip a few bytes anywhere
            for (std::uint64_t n = 1 + random() % 3; n > 0; --n)
                stream[random() % stream.size()] ^= std::uint8_t(1 + random() % 255);
        } else if (mode == 2) { // flip a few payload bytes only
            if (stream.size() > kFrameHeaderSize) {
                for (std::uint64_t n = 1 + random() % 3; n > 0; --n) {
                    stream[kFrameHeaderSize + random() % (stream.size() - kFrameHeaderSize)] ^=
                        std::uint8_t(1 + random() % 255);
                }
            }
        } else if (mode == 3) { // a valid header over random payload bytes
            RawFrame raw{.type = std::uint16_t(typeOf(original))};
            raw.payload.resize(random() % 64);
            for (std::uint8_t& byte : raw.payload)
                byte = static_cast<std::uint8_t>(random());
            stream = raw.bytes();
        } else if (mode == 4) { // a second frame behind the first, then a cut
            const Bytes second = encodeFrame(randomMessage(random));
            stream.insert(stream.end(), second.begin(), second.end());
            stream.resize(stream.size() - random() % second.size());
        }

        Decoder decoder;
        std::vector<Message> decoded;
        std::size_t offset = 0;
        std::size_t frameStart = 0;
        try {
            while (offset < stream.size()) {
                const std::size_t size =
                    std::min<std::size_t>(1 + random() % 40, stream.size() - offset);
                for (const DecodedFrame& frame :
                     decodeAll(decoder, std::span(stream).subspan(offset, size))) {
                    const Bytes again = encodeFrame(frame.message, frame.fdCount);
                    ASSERT_LE(frameStart + again.size(), stream.size());
                    ASSERT_TRUE(std::equal(again.begin(), again.end(), stream.begin() + frameStart))
                        << "round " << round;
                    frameStart += again.size();
                    decoded.push_back(frame.message);
                }
                offset += size;
            }
        } catch (const ProtocolError&) {
            ++errorCount;
            continue;
        }
        decodedCount += decoded.size();
        if (mode == 0) {
            ASSERT_EQ(decoded, std::vector<Message>{original}) << "round " << round;
        }
    }
    EXPECT_GT(decodedCount, 3000u);
    EXPECT_GT(errorCount, 1000u);
}

} // namespace
} // namespace socklens::protocol
