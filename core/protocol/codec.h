// Frames on the wire: magic "SKLN", version, type, fd count, payload length, payload.
// The decoder is incremental (feed any slice of bytes) and trusts no length and no field.
#pragma once

#include "protocol/messages.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace socklens::protocol {

inline constexpr std::size_t kFrameHeaderSize = 14;
inline constexpr std::uint32_t kMaxPayloadSize = 8u * 1024 * 1024;

/// A stream that broke the protocol. The stream cannot be resynchronised afterwards.
class ProtocolError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// One whole frame for `message`; `fdCount` descriptors travel beside it (SCM_RIGHTS).
std::vector<std::uint8_t> encodeFrame(const Message& message, std::uint8_t fdCount = 0);

struct DecodedFrame {
    Message message;
    std::uint8_t fdCount = 0;
};

class Decoder {
public:
    void feed(std::span<const std::uint8_t> bytes);
    /// The next whole frame, or nullopt until more bytes arrive. Throws ProtocolError with a
    /// sentence naming what was wrong (bad magic, version mismatch, oversized, bad field).
    std::optional<DecodedFrame> next();
    std::size_t bufferedBytes() const;

private:
    std::vector<std::uint8_t> buffer_;
    std::size_t consumed_ = 0;
    std::optional<std::string> failure_; ///< the first error; every later next() repeats it
};

} // namespace socklens::protocol
