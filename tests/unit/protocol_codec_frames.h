// For the frame codec tests (test_protocol_codec_*.cpp): messages printed field by field, and
// frames assembled by hand or decoded in one go.
#pragma once

#include "protocol/codec.h"
#include "protocol/messages.h"
#include "protocol/wire.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <type_traits>
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

inline void PrintTo(const Message& message, std::ostream* out) {
    *out << toString(typeOf(message)) << ' ';
    std::visit(FieldPrinter{*out}, message);
}

namespace codec_frames {

using Bytes = std::vector<std::uint8_t>;

// ---- building inputs ------------------------------------------------------------------

inline SocketDescription socketDescription(std::uint64_t identity) {
    return {
        identity,     2, 1, 6, SocketKindSeen::TcpConnected, "127.0.0.1:4711", "127.0.0.1:50022",
        "ESTABLISHED"};
}

inline void putLe(Bytes& out, std::uint64_t value, std::size_t size) {
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

/// Feeds everything, then collects frames until the decoder wants more bytes.
inline std::vector<DecodedFrame> decodeAll(Decoder& decoder, std::span<const std::uint8_t> bytes) {
    decoder.feed(bytes);
    std::vector<DecodedFrame> frames;
    while (std::optional<DecodedFrame> frame = decoder.next())
        frames.push_back(std::move(*frame));
    return frames;
}

} // namespace codec_frames
} // namespace socklens::protocol
