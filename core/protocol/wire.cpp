#include "protocol/wire.h"

#include <algorithm>
#include <array>
#include <utility>
#include <variant>

namespace socklens::protocol::wire {

std::span<const std::uint8_t> Reader::getBytes(std::size_t count) {
    if (count > remaining()) {
        fail("needs " + std::to_string(count) + " bytes, but only " + std::to_string(remaining()) +
             " remain in the payload");
    }
    const std::span<const std::uint8_t> bytes = data_.subspan(offset_, count);
    offset_ += count;
    return bytes;
}

std::span<const std::uint8_t> Reader::getBlock() {
    const std::uint32_t length = get<std::uint32_t>();
    if (length > remaining()) {
        fail("announces " + std::to_string(length) + " bytes, but only " +
             std::to_string(remaining()) + " remain in the payload");
    }
    return getBytes(length);
}

void Reader::fail(std::string_view problem) const {
    std::string sentence = context_ + ": ";
    for (std::size_t i = 0; i < std::min(depth_, path_.size()); ++i) {
        sentence += i == 0 ? "" : ", ";
        sentence += path_[i].element ? "element " : "field ";
        sentence += std::to_string(path_[i].index);
    }
    if (depth_ > path_.size())
        sentence += ", ...";
    if (depth_ > 0)
        sentence += ' ';
    sentence += problem;
    throw ProtocolError(sentence);
}

namespace {

using DecodeFn = Message (*)(Reader&);

template <class M> Message decodeAs(Reader& reader) {
    M message;
    decodeFields(reader, message);
    return message;
}

struct DecoderEntry {
    MessageType type;
    DecodeFn decode;
};

template <std::size_t... I> constexpr auto makeDecoders(std::index_sequence<I...>) {
    return std::array<DecoderEntry, sizeof...(I)>{
        {{std::variant_alternative_t<I, Message>::kType,
          &decodeAs<std::variant_alternative_t<I, Message>>}...}};
}

// Built from the Message variant, so a new message type needs no line here.
constexpr auto kDecoders = makeDecoders(std::make_index_sequence<std::variant_size_v<Message>>{});

constexpr bool typesAreDistinct() {
    for (std::size_t i = 0; i < kDecoders.size(); ++i) {
        for (std::size_t j = i + 1; j < kDecoders.size(); ++j) {
            if (kDecoders[i].type == kDecoders[j].type)
                return false;
        }
    }
    return true;
}
static_assert(typesAreDistinct(), "two message structs share one MessageType");

const DecoderEntry* findDecoder(MessageType type) {
    const auto it = std::find_if(kDecoders.begin(), kDecoders.end(),
                                 [type](const DecoderEntry& entry) { return entry.type == type; });
    return it == kDecoders.end() ? nullptr : &*it;
}

} // namespace

void encodePayload(Writer& writer, const Message& message) {
    std::visit([&writer](const auto& alternative) { encodeFields(writer, alternative); }, message);
}

Message decodePayload(MessageType type, std::span<const std::uint8_t> payload) {
    Reader reader(payload, "frame of type " + std::string(toString(type)));
    const DecoderEntry* entry = findDecoder(type);
    if (!entry)
        reader.fail("no message of this type exists");
    Message message = entry->decode(reader);
    if (reader.remaining() != 0) {
        reader.fail(std::to_string(reader.remaining()) +
                    " bytes remain in the payload after its last field");
    }
    return message;
}

std::optional<MessageType> messageTypeFromWire(std::uint16_t raw) {
    const DecoderEntry* entry = findDecoder(static_cast<MessageType>(raw));
    return entry ? std::optional(entry->type) : std::nullopt;
}

} // namespace socklens::protocol::wire
