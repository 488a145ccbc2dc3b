// Broken frame streams: each fails with a ProtocolError that names what is wrong, and stays failed.
#include "protocol_codec_frames.h"

#include <cstdint>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace socklens::protocol {
namespace {

using namespace socklens::protocol::codec_frames;

Bytes payloadOf(const Message& message) {
    const Bytes frame = encodeFrame(message);
    return Bytes(frame.begin() + kFrameHeaderSize, frame.end());
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
    // the observation's handleCount (4 bytes) and inheritance (1) and the empty `unreadable`
    // (its u32 count) follow.
    raw.payload[raw.payload.size() - 13 - 4 - 1 - 4] = 0;
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

} // namespace
} // namespace socklens::protocol
