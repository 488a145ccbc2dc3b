// The frame codec round trip: encodeFrame on one side, Decoder on the other, whole or in pieces.
#include "protocol_codec_frames.h"

#include <cstdint>
#include <gtest/gtest.h>
#include <set>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace socklens::protocol {
namespace {

using namespace socklens::protocol::codec_frames;

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
        DescriptorsReply{16,
                         {{first, 0, {{SocketOption::TcpNoDelay, 1, 0}}, 0}, {second, -1, {}, 7}}},
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

} // namespace
} // namespace socklens::protocol
