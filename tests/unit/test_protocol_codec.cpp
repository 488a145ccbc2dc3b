// The frame codec through its public API: encodeFrame on one side, Decoder on the other.
#include "protocol/codec.h"
#include "protocol/messages.h"
#include "protocol/wire.h"

#include <array>
#include <cstdint>
#include <gtest/gtest.h>
#include <ostream>
#include <random>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace socklens::protocol {

// Failures print messages field by field instead of as raw object bytes.
struct FieldPrinter {
    std::ostream& out;
    template <class T> void operator()(const T& value) {
        if constexpr (wire::WireInteger<T>) {
            out << +value << ' ';
        } else if constexpr (std::is_enum_v<T>) {
            out << +static_cast<std::underlying_type_t<T>>(value) << ' ';
        } else if constexpr (std::same_as<T, std::string>) {
            out << '"' << value << "\" ";
        } else if constexpr (wire::IsVector<T>::value) {
            out << "[ ";
            for (const auto& element : value)
                (*this)(element);
            out << "] ";
        } else {
            out << "{ ";
            const_cast<T&>(value).fields(*this);
            out << "} ";
        }
    }
};

void PrintTo(const Message& message, std::ostream* out) {
    *out << toString(typeOf(message)) << ' ';
    std::visit(FieldPrinter{*out}, message);
}

namespace {

using Bytes = std::vector<std::uint8_t>;

// ---- building inputs ------------------------------------------------------------------

SocketDescription socketDescription(std::uint64_t identity) {
    return {
        identity,     2, 1, 6, SocketKindSeen::TcpConnected, "127.0.0.1:4711", "127.0.0.1:50022",
        "ESTABLISHED"};
}

/// One message of every type, every field away from its default.
std::vector<Message> sampleMessages() {
    const DescriptorDescription first{7, socketDescription(991), 0x81};
    const DescriptorDescription second{
        -3, {0xFFFF'FFFF'FFFF'FFFFull, 1, 2, 0, SocketKindSeen::UnixStream, "", "", ""}};
    return {
        Hello{1},
        CreateSocket{2, SocketKind::UnixPair, 0x81},
        ExportDescriptor{3, 12},
        ImportDescriptor{4},
        DupDescriptor{5, -1},
        SetOption{6, 13, SocketOption::Linger, -1},
        GetOption{7, 14, SocketOption::IpTtl},
        RegisterEvents{8, 15, FdRead | FdWrite, RegistrationMechanism::WsaAsyncSelect},
        Send{9, 16, {0x00, 0xFF, 0x10, 'h', 'i'}},
        Receive{10, 17, 65536},
        CloseDescriptor{11, 18},
        Observe{12, {3, 7, 0x7FFF'FFFF'FFFF}},
        DuplicateForProcess{13, 19, 4242},
        ImportProtocolInfo{14, Bytes(628, 0xAB), 0x01, 1},
        HelloReply{15, 31337, Platform::WinsockWine, "0.1.0", "Wine 8.0 on Linux 6.1.0"},
        DescriptorsReply{16, {first, second}},
        OptionReply{17, {SocketOption::KeepAlive, 1, 22}},
        SendReply{18, 0x1'0000'0001ull},
        ReceiveReply{19, {'p', 'o', 'n', 'g', 0}},
        ObservationReply{
            20,
            {{first, 4242, {{SocketOption::RcvBuf, 131072, 0}, {SocketOption::Linger, -1, 0}}, 3},
             {second, -1, {}, 0}},
            {9, 12}},
        ProtocolInfoReply{21, Bytes{1, 2, 3, 4}},
        Failure{22, "setsockopt(SO_RCVBUF)", 22, "EINVAL",
                "The helper could not set SO_RCVBUF: invalid argument."},
        NetworkEvent{23, 991, FdRead, FdRead | FdWrite, -7},
        ListHolders{24, {{32, 0x34}, {48, 0x3C}}},
        StartChild{25, 1, 30000},
        HoldersReply{26,
                     {{0, 32, 0x34, 1}, {1, 48, 0x40, 0}},
                     {{32, "socklens-helper.exe"}, {48, "handle-taker.exe"}},
                     {2, 1},
                     {"Wine's system handle table gives no object addresses"}},
        ChildReply{27, {96, "socklens-helper.exe"}},
        ListProcessSockets{28, 96},
        SetInheritable{30, 0x3C, 0},
        ProcessSocketsReply{
            29,
            {{96, "winsock-server.exe"}},
            {{0x3C, {0, 2, 1, 6, SocketKindSeen::TcpListener, "127.0.0.1:4711", "", "LISTEN"}, 1}},
            {"Wine's system handle table gives no object addresses"}},
    };
}

void putLe(Bytes& out, std::uint64_t value, std::size_t size) {
    for (std::size_t i = 0; i < size; ++i)
        out.push_back(std::uint8_t(value >> (8 * i)));
}

/// A frame assembled by hand, so tests can break any header field on purpose.
struct RawFrame {
    std::uint16_t type = std::uint16_t(MessageType::Hello);
    Bytes payload;
    std::uint16_t version = kProtocolVersion;
    std::uint8_t fdCount = 0;
    std::uint8_t reserved = 0;
    std::optional<std::uint32_t> length; ///< announced length; the payload's size when unset

    Bytes bytes() const {
        Bytes out{'S', 'K', 'L', 'N'};
        putLe(out, version, 2);
        putLe(out, type, 2);
        putLe(out, fdCount, 1);
        putLe(out, reserved, 1);
        putLe(out, length.value_or(std::uint32_t(payload.size())), 4);
        out.insert(out.end(), payload.begin(), payload.end());
        return out;
    }
};

Bytes payloadOf(const Message& message) {
    const Bytes frame = encodeFrame(message);
    return Bytes(frame.begin() + kFrameHeaderSize, frame.end());
}

/// Feeds everything, then collects frames until the decoder wants more bytes.
std::vector<DecodedFrame> decodeAll(Decoder& decoder, std::span<const std::uint8_t> bytes) {
    decoder.feed(bytes);
    std::vector<DecodedFrame> frames;
    while (std::optional<DecodedFrame> frame = decoder.next())
        frames.push_back(std::move(*frame));
    return frames;
}

/// The ProtocolError message decoding `bytes` in one feed produces ("" when none).
std::string errorFor(const Bytes& bytes) {
    Decoder decoder;
    try {
        decodeAll(decoder, bytes);
    } catch (const ProtocolError& error) {
        return error.what();
    }
    return "";
}

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

// ---- round trips ----------------------------------------------------------------------

TEST(ProtocolCodec, SamplesCoverEveryMessageType) {
    std::set<std::size_t> indices;
    for (const Message& message : sampleMessages())
        indices.insert(message.index());
    EXPECT_EQ(indices.size(), std::variant_size_v<Message>);
}

TEST(ProtocolCodec, EveryMessageTypeRoundTrips) {
    std::uint8_t fdCount = 0;
    for (const Message& message : sampleMessages()) {
        SCOPED_TRACE(std::string(toString(typeOf(message))));
        Decoder decoder;
        const std::vector<DecodedFrame> frames = decodeAll(decoder, encodeFrame(message, fdCount));
        ASSERT_EQ(frames.size(), 1u);
        EXPECT_EQ(frames[0].message, message);
        EXPECT_EQ(frames[0].fdCount, fdCount);
        EXPECT_EQ(decoder.bufferedBytes(), 0u);
        fdCount = std::uint8_t(fdCount + 1);
    }
}

TEST(ProtocolCodec, HeaderIsLittleEndianAtFixedOffsets) {
    const Bytes frame = encodeFrame(CreateSocket{0x01020304, SocketKind::Udp, 0x0A0B0C0D}, 2);
    const Bytes expected{'S',  'K',  'L',  'N',  0x05, 0x00, 0x02, 0x01, 0x02, 0x00, 0x09, 0x00,
                         0x00, 0x00, 0x04, 0x03, 0x02, 0x01, 0x03, 0x0D, 0x0C, 0x0B, 0x0A};
    EXPECT_EQ(frame, expected);
}

TEST(ProtocolCodec, MessageHelpersNameEveryType) {
    std::set<std::string_view> names;
    for (const Message& message : sampleMessages())
        names.insert(toString(typeOf(message)));
    EXPECT_EQ(names.size(), std::variant_size_v<Message>);
    EXPECT_EQ(names.count("unknown message type"), 0u);
    EXPECT_EQ(toString(MessageType::CreateSocket), "CreateSocket");
    EXPECT_EQ(requestIdOf(SetOption{77, 1, SocketOption::RcvBuf, 1}), 77u);
    EXPECT_EQ(requestIdOf(NetworkEvent{5, 6, FdRead, FdRead, 1}), 0u);
}

TEST(ProtocolCodec, FeedingByteByByteDecodesEveryFrame) {
    Bytes stream;
    for (const Message& message : sampleMessages()) {
        const Bytes frame = encodeFrame(message, 1);
        stream.insert(stream.end(), frame.begin(), frame.end());
    }
    Decoder decoder;
    std::vector<Message> decoded;
    for (const std::uint8_t byte : stream) {
        for (const DecodedFrame& frame : decodeAll(decoder, std::span(&byte, 1))) {
            decoded.push_back(frame.message);
            EXPECT_EQ(frame.fdCount, 1);
        }
    }
    EXPECT_EQ(decoded, sampleMessages());
    EXPECT_EQ(decoder.bufferedBytes(), 0u);
}

TEST(ProtocolCodec, SeveralFramesInOneFeed) {
    Bytes stream;
    for (const Message& message : sampleMessages()) {
        const Bytes frame = encodeFrame(message);
        stream.insert(stream.end(), frame.begin(), frame.end());
    }
    const Bytes partial = encodeFrame(Hello{99});
    stream.insert(stream.end(), partial.begin(), partial.end() - 1);

    Decoder decoder;
    std::vector<Message> decoded;
    for (const DecodedFrame& frame : decodeAll(decoder, stream))
        decoded.push_back(frame.message);
    EXPECT_EQ(decoded, sampleMessages());
    EXPECT_EQ(decoder.bufferedBytes(), partial.size() - 1);

    const std::vector<DecodedFrame> last = decodeAll(decoder, std::span(&partial.back(), 1));
    ASSERT_EQ(last.size(), 1u);
    EXPECT_EQ(last[0].message, Message(Hello{99}));
}

TEST(ProtocolCodec, StreamingManyFramesKeepsOnlyUnreadBytes) {
    const Bytes frame = encodeFrame(Send{1, 2, Bytes(100, 7)});
    Bytes stream;
    for (int i = 0; i < 1000; ++i)
        stream.insert(stream.end(), frame.begin(), frame.end());

    Decoder decoder;
    std::size_t decoded = 0;
    for (std::size_t offset = 0; offset < stream.size(); offset += 37) {
        const std::size_t size = std::min<std::size_t>(37, stream.size() - offset);
        decoded += decodeAll(decoder, std::span(stream).subspan(offset, size)).size();
        EXPECT_LT(decoder.bufferedBytes(), frame.size());
    }
    EXPECT_EQ(decoded, 1000u);
    EXPECT_EQ(decoder.bufferedBytes(), 0u);
}

TEST(ProtocolCodec, TruncatedFramesWaitWithoutError) {
    for (const Message& message : sampleMessages()) {
        const Bytes frame = encodeFrame(message);
        for (std::size_t size = 0; size < frame.size(); ++size) {
            Decoder decoder;
            decoder.feed(std::span(frame).first(size));
            EXPECT_FALSE(decoder.next().has_value()) << toString(typeOf(message)) << " " << size;
            EXPECT_EQ(decoder.bufferedBytes(), size);
        }
    }
}

TEST(ProtocolCodec, EncodingAnOversizedMessageThrows) {
    EXPECT_THROW(encodeFrame(Send{1, 2, Bytes(kMaxPayloadSize, 0)}), ProtocolError);
}

// ---- broken streams -------------------------------------------------------------------

TEST(ProtocolCodec, OversizedLengthFailsBeforeThePayloadArrives) {
    RawFrame raw{.type = std::uint16_t(MessageType::Send), .length = kMaxPayloadSize + 1};
    const std::string error = errorFor(raw.bytes());
    EXPECT_NE(error.find("frame of type Send"), std::string::npos) << error;
    EXPECT_NE(error.find(std::to_string(kMaxPayloadSize + 1)), std::string::npos) << error;

    raw.length = kMaxPayloadSize; // at the limit: waits for the payload
    EXPECT_EQ(errorFor(raw.bytes()), "");
}

TEST(ProtocolCodec, WrongVersionIsNamed) {
    const RawFrame raw{.payload = payloadOf(Hello{1}), .version = 1};
    EXPECT_EQ(errorFor(raw.bytes()),
              "the peer speaks socklens protocol version 1; this socklens speaks version 5");
    // Known as soon as the version bytes are there.
    const Bytes frame = raw.bytes();
    EXPECT_NE(errorFor(Bytes(frame.begin(), frame.begin() + 6)), "");
}

TEST(ProtocolCodec, BadMagicFailsAtTheFirstWrongByte) {
    EXPECT_NE(errorFor(Bytes{'G'}), "");
    EXPECT_NE(errorFor(Bytes{'S', 'K', 'L', 'X'}), "");
    const std::string error = errorFor(Bytes{'G', 'E', 'T', ' ', '/'});
    EXPECT_NE(error.find("47 45 54 20"), std::string::npos) << error;
    EXPECT_EQ(errorFor(Bytes{'S', 'K', 'L'}), "");
}

TEST(ProtocolCodec, NonzeroReservedByteFails) {
    const RawFrame raw{.payload = payloadOf(Hello{1}), .reserved = 7};
    const std::string error = errorFor(raw.bytes());
    EXPECT_NE(error.find("frame of type Hello"), std::string::npos) << error;
    EXPECT_NE(error.find("reserved"), std::string::npos) << error;
}

TEST(ProtocolCodec, UnknownMessageTypeFails) {
    const RawFrame raw{.type = 0x0999};
    EXPECT_NE(errorFor(raw.bytes()).find("0x0999"), std::string::npos) << errorFor(raw.bytes());
}

TEST(ProtocolCodec, TrailingBytesFail) {
    RawFrame raw{.payload = payloadOf(Hello{1})};
    raw.payload.insert(raw.payload.end(), {1, 2, 3});
    EXPECT_EQ(errorFor(raw.bytes()),
              "frame of type Hello: 3 bytes remain in the payload after its last field");
}

TEST(ProtocolCodec, ShortPayloadFails) {
    RawFrame raw{.type = std::uint16_t(MessageType::ExportDescriptor),
                 .payload = payloadOf(ExportDescriptor{1, 2})};
    raw.payload.resize(raw.payload.size() - 1);
    EXPECT_EQ(errorFor(raw.bytes()),
              "frame of type ExportDescriptor: field 2 needs 8 bytes, but only 7 remain in the "
              "payload");
}

TEST(ProtocolCodec, UnknownEnumValueFails) {
    RawFrame raw{.type = std::uint16_t(MessageType::CreateSocket),
                 .payload = payloadOf(CreateSocket{1, SocketKind::Udp, 0})};
    raw.payload[4] = 9; // after the u32 requestId
    EXPECT_EQ(errorFor(raw.bytes()), "frame of type CreateSocket: field 2 has value 9, which is "
                                     "not a socket kind (those are 1 to 4)");
    raw.payload[4] = 0;
    EXPECT_NE(errorFor(raw.bytes()), "");
}

TEST(ProtocolCodec, NestedErrorsNameTheirPath) {
    ObservationReply reply{1, {{{5, socketDescription(1)}, 0, {{SocketOption::RcvBuf, 1, 0}}}}};
    RawFrame raw{.type = std::uint16_t(MessageType::ObservationReply), .payload = payloadOf(reply)};
    // The option enum is the first byte of the last OptionReading (13 bytes on the wire), which
    // the observation's handleCount (4 bytes) and the empty `unreadable` (its u32 count) follow.
    raw.payload[raw.payload.size() - 13 - 4 - 4] = 0;
    EXPECT_EQ(errorFor(raw.bytes()), "frame of type ObservationReply: field 2, element 0, field 3, "
                                     "element 0, field 1 has value 0, which is not a socket "
                                     "option (those are 1 to 8)");
}

TEST(ProtocolCodec, HugeVectorCountFailsWithoutAllocating) {
    Bytes payload;
    putLe(payload, 1, 4);           // requestId
    putLe(payload, 0xFFFFFFFFu, 4); // descriptors: four billion of them
    payload.resize(payload.size() + 100, 0);
    const RawFrame raw{.type = std::uint16_t(MessageType::DescriptorsReply), .payload = payload};
    const std::string error = errorFor(raw.bytes());
    EXPECT_NE(error.find("frame of type DescriptorsReply: field 2 announces 4294967295 elements"),
              std::string::npos)
        << error;

    // A count the remaining bytes could hold one-byte-wise is still too many descriptors.
    Bytes modest;
    putLe(modest, 1, 4);
    putLe(modest, 100, 4);
    modest.resize(modest.size() + 100, 0);
    EXPECT_NE(errorFor(RawFrame{.type = raw.type, .payload = modest}.bytes()), "");
}

TEST(ProtocolCodec, HugeStringLengthFails) {
    Bytes payload;
    putLe(payload, 1, 4);           // requestId
    putLe(payload, 0xFFFFFFF0u, 4); // call: a string longer than the frame
    const RawFrame raw{.type = std::uint16_t(MessageType::Failure), .payload = payload};
    EXPECT_EQ(errorFor(raw.bytes()), "frame of type Failure: field 2 announces 4294967280 bytes, "
                                     "but only 0 remain in the payload");
}

TEST(ProtocolCodec, DecoderStaysFailedAfterAnError) {
    Decoder decoder;
    decoder.feed(RawFrame{.version = 9}.bytes());
    std::string first;
    try {
        decoder.next();
        FAIL() << "a wrong version was accepted";
    } catch (const ProtocolError& error) {
        first = error.what();
    }
    const Bytes good = encodeFrame(Hello{1});
    decoder.feed(good);
    EXPECT_EQ(decoder.bufferedBytes(), 0u);
    for (int i = 0; i < 3; ++i) {
        try {
            decoder.next();
            FAIL() << "a failed decoder produced a frame";
        } catch (const ProtocolError& error) {
            EXPECT_EQ(error.what(), first);
        }
    }
}

TEST(ProtocolCodec, FdCountIsCarriedThrough) {
    for (const std::uint8_t fdCount : {0, 1, 16, 255}) {
        Decoder decoder;
        const std::vector<DecodedFrame> frames =
            decodeAll(decoder, encodeFrame(ImportDescriptor{3}, fdCount));
        ASSERT_EQ(frames.size(), 1u);
        EXPECT_EQ(frames[0].fdCount, fdCount);
    }
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
