#include "protocol/codec.h"

#include "protocol/wire.h"

#include <algorithm>
#include <array>
#include <cstdio>

namespace socklens::protocol {

namespace {

constexpr std::array<std::uint8_t, 4> kMagic{'S', 'K', 'L', 'N'};
constexpr std::size_t kLengthOffset = 10;

std::string hex(std::span<const std::uint8_t> bytes) {
    std::string text;
    for (const std::uint8_t byte : bytes) {
        char digits[4];
        std::snprintf(digits, sizeof digits, "%02X", unsigned(byte));
        text += text.empty() ? "" : " ";
        text += digits;
    }
    return text;
}

std::string frameOf(MessageType type) {
    return "frame of type " + std::string(toString(type));
}

/// The frame at the start of `available`, or nullopt while it is incomplete. Every header
/// field is checked as soon as its bytes are there, so a bad stream fails before its payload
/// is buffered. Sets `frameSize` when it returns a frame.
std::optional<DecodedFrame> decodeFrame(std::span<const std::uint8_t> available,
                                        std::size_t& frameSize) {
    wire::Reader header(available.first(std::min(available.size(), kFrameHeaderSize)),
                        "frame header");
    const std::span<const std::uint8_t> magic =
        header.getBytes(std::min(available.size(), kMagic.size()));
    if (!std::equal(magic.begin(), magic.end(), kMagic.begin())) {
        throw ProtocolError("the peer does not speak the socklens protocol: a frame starts with "
                            "the bytes " +
                            hex(magic) + " instead of the magic " + hex(kMagic) + " (\"SKLN\")");
    }
    if (header.remaining() < sizeof(std::uint16_t))
        return std::nullopt;
    const auto version = header.get<std::uint16_t>();
    if (version != kProtocolVersion) {
        throw ProtocolError("the peer speaks socklens protocol version " + std::to_string(version) +
                            "; this socklens speaks version " + std::to_string(kProtocolVersion));
    }
    if (available.size() < kFrameHeaderSize)
        return std::nullopt;

    const auto rawType = header.get<std::uint16_t>();
    const auto fdCount = header.get<std::uint8_t>();
    const auto reserved = header.get<std::uint8_t>();
    const auto length = header.get<std::uint32_t>();
    const std::optional<MessageType> type = wire::messageTypeFromWire(rawType);
    if (!type) {
        char number[8];
        std::snprintf(number, sizeof number, "0x%04X", unsigned(rawType));
        throw ProtocolError("the peer sent a frame of message type " + std::string(number) +
                            ", which protocol version " + std::to_string(kProtocolVersion) +
                            " does not have");
    }
    if (reserved != 0) {
        throw ProtocolError(frameOf(*type) + " has " + std::to_string(reserved) +
                            " in its reserved header byte, which must be 0");
    }
    if (length > kMaxPayloadSize) {
        throw ProtocolError(frameOf(*type) + " announces a payload of " + std::to_string(length) +
                            " bytes, more than the limit of " + std::to_string(kMaxPayloadSize) +
                            " bytes");
    }
    if (available.size() - kFrameHeaderSize < length)
        return std::nullopt;

    DecodedFrame frame{wire::decodePayload(*type, available.subspan(kFrameHeaderSize, length)),
                       fdCount};
    frameSize = kFrameHeaderSize + length;
    return frame;
}

} // namespace

std::vector<std::uint8_t> encodeFrame(const Message& message, std::uint8_t fdCount) {
    std::vector<std::uint8_t> frame;
    wire::Writer writer(frame);
    writer.putBytes(kMagic);
    writer.put(kProtocolVersion);
    writer.put(static_cast<std::uint16_t>(typeOf(message)));
    writer.put(fdCount);
    writer.put(std::uint8_t{0});  // reserved
    writer.put(std::uint32_t{0}); // payload length, known below
    wire::encodePayload(writer, message);

    const std::size_t payloadSize = frame.size() - kFrameHeaderSize;
    if (payloadSize > kMaxPayloadSize) {
        throw ProtocolError("a " + std::string(toString(typeOf(message))) + " message needs " +
                            std::to_string(payloadSize) + " bytes, more than the " +
                            std::to_string(kMaxPayloadSize) + " bytes one frame may carry");
    }
    writer.putAt(kLengthOffset, static_cast<std::uint32_t>(payloadSize));
    return frame;
}

void Decoder::feed(std::span<const std::uint8_t> bytes) {
    // A broken stream cannot be resynchronised, so there is nothing to keep its bytes for.
    if (failure_)
        return;
    // Drop the consumed prefix once it is at least half the buffer: the buffer stays within
    // twice the unread bytes, and each byte is moved a bounded number of times.
    if (consumed_ > 0 && consumed_ * 2 >= buffer_.size()) {
        buffer_.erase(buffer_.begin(), buffer_.begin() + std::ptrdiff_t(consumed_));
        consumed_ = 0;
    }
    buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

std::optional<DecodedFrame> Decoder::next() {
    if (failure_)
        throw ProtocolError(*failure_);
    try {
        std::size_t frameSize = 0;
        std::optional<DecodedFrame> frame =
            decodeFrame(std::span(buffer_).subspan(consumed_), frameSize);
        consumed_ += frameSize;
        return frame;
    } catch (const ProtocolError& error) {
        failure_ = error.what();
        buffer_.clear();
        buffer_.shrink_to_fit();
        consumed_ = 0;
        throw;
    }
}

std::size_t Decoder::bufferedBytes() const {
    return buffer_.size() - consumed_;
}

} // namespace socklens::protocol
