// The payload encoding: little-endian integers, u32-length-prefixed strings, bytes and
// vectors, nested structs in field order. One generic walker over each message's fields()
// both writes and reads, so the two directions cannot drift apart. The reader trusts no
// length and no enum value it meets.
#pragma once

#include "model/socket_vocabulary.h"
#include "protocol/codec.h"
#include "protocol/messages.h"

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace socklens::protocol::wire {

/// The values an enum may take on the wire: first..last, with no gaps.
template <class E> struct EnumRange {
    E first{};
    E last{};
    std::string_view noun; ///< completes "... which is not a <noun>"
};

/// One line per enum that travels in a message; an enum without a line does not compile.
template <class E> inline constexpr EnumRange<E> kWireEnum{};
template <>
inline constexpr EnumRange<SocketKind> kWireEnum<SocketKind>{SocketKind::TcpListener,
                                                             SocketKind::UnixPair, "socket kind"};
template <>
inline constexpr EnumRange<SocketKindSeen> kWireEnum<SocketKindSeen>{
    SocketKindSeen::Other, SocketKindSeen::UnixSeqpacket, "kind of socket"};
template <>
inline constexpr EnumRange<SocketOption> kWireEnum<SocketOption>{
    SocketOption::RcvBuf, kLastSocketOption, "socket option"};
template <>
inline constexpr EnumRange<Platform> kWireEnum<Platform>{Platform::Linux, Platform::WinsockWine,
                                                         "platform"};
template <>
inline constexpr EnumRange<Inheritance> kWireEnum<Inheritance>{
    Inheritance::Unknown, Inheritance::NotInheritable, "inheritance"};
template <>
inline constexpr EnumRange<RegistrationMechanism> kWireEnum<RegistrationMechanism>{
    RegistrationMechanism::FcntlSetOwn, RegistrationMechanism::WsaAsyncSelect,
    "registration mechanism"};

/// Appends little-endian values to a byte vector.
class Writer {
public:
    explicit Writer(std::vector<std::uint8_t>& out)
        : out_(out) {}

    template <std::unsigned_integral U> void put(U value) {
        for (std::size_t i = 0; i < sizeof(U); ++i)
            out_.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
    }
    /// Overwrites a value written earlier, e.g. a length known only at the end.
    template <std::unsigned_integral U> void putAt(std::size_t offset, U value) {
        for (std::size_t i = 0; i < sizeof(U); ++i)
            out_.at(offset + i) = static_cast<std::uint8_t>(value >> (8 * i));
    }
    void putBytes(std::span<const std::uint8_t> bytes) {
        out_.insert(out_.end(), bytes.begin(), bytes.end());
    }

private:
    std::vector<std::uint8_t>& out_;
};

/// Reads little-endian values from a span, never past its end. Failures throw ProtocolError
/// with a sentence that starts with the context and names the field being read.
class Reader {
public:
    /// `context` opens every error sentence, e.g. "frame of type CreateSocket".
    Reader(std::span<const std::uint8_t> data, std::string context)
        : data_(data)
        , context_(std::move(context)) {}

    template <std::unsigned_integral U> U get() {
        const std::span<const std::uint8_t> bytes = getBytes(sizeof(U));
        U value = 0;
        for (std::size_t i = 0; i < sizeof(U); ++i)
            value = static_cast<U>(value | (U(bytes[i]) << (8 * i)));
        return value;
    }
    std::span<const std::uint8_t> getBytes(std::size_t count);
    /// A u32 length, checked against what remains, then that many bytes.
    std::span<const std::uint8_t> getBlock();
    std::size_t remaining() const { return data_.size() - offset_; }

    /// Where in the payload the reader is, for error sentences: "field 2, element 0, field 3".
    void enterField(std::size_t index) { enter({false, index}); }
    void enterElement(std::size_t index) { enter({true, index}); }
    void leave() { --depth_; }

    [[noreturn]] void fail(std::string_view problem) const;

private:
    struct Step {
        bool element; ///< else a field
        std::size_t index;
    };
    void enter(Step step) {
        if (depth_ < path_.size())
            path_[depth_] = step;
        ++depth_;
    }
    std::span<const std::uint8_t> data_;
    std::size_t offset_ = 0;
    std::string context_;
    // Every field of every frame passes here: a fixed array, as deep as any message nests
    // (deeper steps are counted, and left out of the sentence).
    std::array<Step, 16> path_{};
    std::size_t depth_ = 0;
};

template <class T>
concept WireInteger = std::integral<T> && !std::same_as<T, bool>;

template <class T> struct IsVector : std::false_type {};
template <class T> struct IsVector<std::vector<T>> : std::true_type {};

namespace detail {
struct AnyField {
    template <class T> void operator()(T&) const {}
};
template <class T> inline constexpr bool kNoWireForm = false;
} // namespace detail

template <class T>
concept HasFields = requires(T& value, detail::AnyField& visitor) {
    value.fields(visitor);
};

template <class T> void encodeValue(Writer& writer, const T& value);
template <class T> void decodeValue(Reader& reader, T& value);
template <HasFields T> void encodeFields(Writer& writer, const T& value);
template <HasFields T> void decodeFields(Reader& reader, T& value);

/// The fewest bytes a value of T takes on the wire; bounds a vector's announced count.
template <class T> std::size_t minWireSize() {
    if constexpr (WireInteger<T> || std::is_enum_v<T>) {
        return sizeof(T);
    } else if constexpr (std::same_as<T, std::string> || IsVector<T>::value) {
        return sizeof(std::uint32_t);
    } else {
        static const std::size_t size = [] {
            T probe{};
            std::size_t total = 0;
            auto add = [&total](auto& field) {
                total += minWireSize<std::remove_cvref_t<decltype(field)>>();
            };
            probe.fields(add);
            return total;
        }();
        return size;
    }
}

template <class T> void encodeValue(Writer& writer, const T& value) {
    if constexpr (WireInteger<T>) {
        writer.put(static_cast<std::make_unsigned_t<T>>(value));
    } else if constexpr (std::is_enum_v<T>) {
        static_assert(!kWireEnum<T>.noun.empty(), "add a kWireEnum line for this enum");
        writer.put(static_cast<std::make_unsigned_t<std::underlying_type_t<T>>>(value));
    } else if constexpr (std::same_as<T, std::string>) {
        writer.put(static_cast<std::uint32_t>(value.size()));
        writer.putBytes(
            std::span(reinterpret_cast<const std::uint8_t*>(value.data()), value.size()));
    } else if constexpr (IsVector<T>::value) {
        writer.put(static_cast<std::uint32_t>(value.size()));
        if constexpr (std::same_as<typename T::value_type, std::uint8_t>) {
            writer.putBytes(value);
        } else {
            for (const auto& element : value)
                encodeValue(writer, element);
        }
    } else if constexpr (HasFields<T>) {
        encodeFields(writer, value);
    } else {
        static_assert(detail::kNoWireForm<T>, "this field type has no wire form");
    }
}

template <class T> void decodeValue(Reader& reader, T& value) {
    if constexpr (WireInteger<T>) {
        // Modular conversion (C++20) turns the two's-complement bits back into a signed value.
        value = static_cast<T>(reader.get<std::make_unsigned_t<T>>());
    } else if constexpr (std::is_enum_v<T>) {
        constexpr EnumRange<T> range = kWireEnum<T>;
        static_assert(!range.noun.empty(), "add a kWireEnum line for this enum");
        using Raw = std::make_unsigned_t<std::underlying_type_t<T>>;
        const Raw raw = reader.get<Raw>();
        if (raw < Raw(range.first) || raw > Raw(range.last)) {
            reader.fail("has value " + std::to_string(raw) + ", which is not a " +
                        std::string(range.noun) + " (those are " +
                        std::to_string(Raw(range.first)) + " to " +
                        std::to_string(Raw(range.last)) + ")");
        }
        value = static_cast<T>(raw);
    } else if constexpr (std::same_as<T, std::string>) {
        const std::span<const std::uint8_t> bytes = reader.getBlock();
        value.assign(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    } else if constexpr (IsVector<T>::value) {
        using Element = typename T::value_type;
        if constexpr (std::same_as<Element, std::uint8_t>) {
            const std::span<const std::uint8_t> bytes = reader.getBlock();
            value.assign(bytes.begin(), bytes.end());
        } else {
            const std::uint32_t count = reader.get<std::uint32_t>();
            // Checked before reserving, so a forged count cannot make us allocate.
            const std::size_t each = minWireSize<Element>();
            if (count > reader.remaining() / each) {
                reader.fail("announces " + std::to_string(count) + " elements of at least " +
                            std::to_string(each) + " bytes each, but only " +
                            std::to_string(reader.remaining()) + " bytes remain in the payload");
            }
            value.clear();
            value.reserve(count);
            for (std::size_t i = 0; i < count; ++i) {
                reader.enterElement(i);
                decodeValue(reader, value.emplace_back());
                reader.leave();
            }
        }
    } else if constexpr (HasFields<T>) {
        decodeFields(reader, value);
    } else {
        static_assert(detail::kNoWireForm<T>, "this field type has no wire form");
    }
}

template <HasFields T> void encodeFields(Writer& writer, const T& value) {
    auto write = [&writer](const auto& field) { encodeValue(writer, field); };
    // fields() is non-const because reading uses it too; writing only reads the fields.
    const_cast<T&>(value).fields(write);
}

template <HasFields T> void decodeFields(Reader& reader, T& value) {
    std::size_t index = 0;
    auto read = [&reader, &index](auto& field) {
        reader.enterField(++index);
        decodeValue(reader, field);
        reader.leave();
    };
    value.fields(read);
}

/// The payload of `message`, appended to the writer.
void encodePayload(Writer& writer, const Message& message);
/// The message of `type` in `payload`, which it must fill exactly. Throws ProtocolError.
Message decodePayload(MessageType type, std::span<const std::uint8_t> payload);
/// The MessageType with this wire value, or nullopt when no message has it.
std::optional<MessageType> messageTypeFromWire(std::uint16_t raw);

} // namespace socklens::protocol::wire
