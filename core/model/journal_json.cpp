#include "model/journal_json.h"

#include <array>
#include <nlohmann/json.hpp>
#include <optional>

namespace socklens {

// ---- vocabulary types ------------------------------------------------------------------

template <class Tag, class Rep> void to_json(nlohmann::json& json, const StrongId<Tag, Rep>& id) {
    json = id.value();
}
template <class Tag, class Rep> void from_json(const nlohmann::json& json, StrongId<Tag, Rep>& id) {
    id = StrongId<Tag, Rep>(json.get<Rep>());
}

void to_json(nlohmann::json& json, const SharedText& text) {
    json = text.str();
}
void from_json(const nlohmann::json& json, SharedText& text) {
    text = SharedText(json.get<std::string>());
}

// Claims stay a JSON array of ids in the session file.
void to_json(nlohmann::json& json, const ClaimTags& claims) {
    json = claims.list();
}
void from_json(const nlohmann::json& json, ClaimTags& claims) {
    claims = ClaimTags(json.get<std::vector<std::string>>());
}

void to_json(nlohmann::json& json, const DescriptorRef& ref) {
    json = {{"process", ref.process}, {"handle", ref.handle}};
}
void from_json(const nlohmann::json& json, DescriptorRef& ref) {
    json.at("process").get_to(ref.process);
    json.at("handle").get_to(ref.handle);
}

namespace {

template <class Enum, std::size_t N> using EnumNames = std::array<std::pair<Enum, const char*>, N>;

template <class Enum, std::size_t N>
void enumToJson(nlohmann::json& json, Enum value, const EnumNames<Enum, N>& names) {
    for (const auto& [candidate, name] : names) {
        if (candidate == value) {
            json = name;
            return;
        }
    }
    json = int(value);
}

template <class Enum, std::size_t N>
void enumFromJson(const nlohmann::json& json, Enum& value, const EnumNames<Enum, N>& names) {
    const std::string text = json.get<std::string>();
    for (const auto& [candidate, name] : names) {
        if (text == name) {
            value = candidate;
            return;
        }
    }
    // type_error::create adds the value's path, so the message names the field.
    throw nlohmann::json::type_error::create(302, "\"" + text + "\" is not a known value here",
                                             &json);
}

// The journal's own vocabularies (model/journal_vocabulary.h) store the names people read.
template <class Enum, std::size_t N>
void namedFromJson(const nlohmann::json& json, Enum& value, const std::array<Enum, N>& values) {
    const std::string text = json.get<std::string>();
    const std::optional<Enum> known = enumFromName(text, values);
    if (!known)
        throw nlohmann::json::type_error::create(302, "\"" + text + "\" is not a known value here",
                                                 &json);
    value = *known;
}

constexpr EnumNames<Platform, 2> kPlatformNames{{
    {Platform::Linux, "linux"},
    {Platform::WinsockWine, "winsock-wine"},
}};
constexpr EnumNames<RegistrationMechanism, 3> kRegistrationNames{{
    {RegistrationMechanism::FcntlSetOwn, "fcntl-setown"},
    {RegistrationMechanism::WsaEventSelect, "WSAEventSelect"},
    {RegistrationMechanism::WsaAsyncSelect, "WSAAsyncSelect"},
}};
constexpr EnumNames<DuplicationMechanism, 3> kDuplicationNames{{
    {DuplicationMechanism::ScmRights, "SCM_RIGHTS"},
    {DuplicationMechanism::DupInProcess, "dup"},
    {DuplicationMechanism::WsaDuplicateSocket, "WSADuplicateSocket"},
}};

} // namespace

// Option names come from the one option table (model/socket_options.def).
void to_json(nlohmann::json& j, SocketOption v) {
    j = std::string(toString(v));
}
void from_json(const nlohmann::json& j, SocketOption& v) {
    const std::string text = j.get<std::string>();
    const std::optional<SocketOption> option = socketOptionFromString(text);
    if (!option)
        throw nlohmann::json::type_error::create(
            302, "\"" + text + "\" is not a socket option socklens knows", &j);
    v = *option;
}
void to_json(nlohmann::json& j, Platform v) {
    enumToJson(j, v, kPlatformNames);
}
void from_json(const nlohmann::json& j, Platform& v) {
    enumFromJson(j, v, kPlatformNames);
}
void to_json(nlohmann::json& j, RegistrationMechanism v) {
    enumToJson(j, v, kRegistrationNames);
}
void from_json(const nlohmann::json& j, RegistrationMechanism& v) {
    enumFromJson(j, v, kRegistrationNames);
}
void to_json(nlohmann::json& j, DuplicationMechanism v) {
    enumToJson(j, v, kDuplicationNames);
}
void from_json(const nlohmann::json& j, DuplicationMechanism& v) {
    enumFromJson(j, v, kDuplicationNames);
}

void to_json(nlohmann::json& j, SocketKindSeen v) {
    j = std::string(toString(v));
}
void from_json(const nlohmann::json& j, SocketKindSeen& v) {
    const std::string text = j.get<std::string>();
    if (const std::optional<SocketKindSeen> known = socketKindSeenFromString(text)) {
        v = *known;
        return;
    }
    // Sessions of format 4 and before stored each reader's own label; their numbers are in
    // the entry beside it, so what the name said is kept.
    static const std::pair<std::string_view, SocketKindSeen> kLegacyLabels[] = {
        {"tcp", SocketKindSeen::Tcp},
        {"tcp6", SocketKindSeen::Tcp},
        {"udp", SocketKindSeen::Udp},
        {"udp6", SocketKindSeen::Udp},
        {"unix-stream", SocketKindSeen::UnixStream},
        {"unix-dgram", SocketKindSeen::UnixDatagram},
        {"unix-seqpacket", SocketKindSeen::UnixSeqpacket},
    };
    for (const auto& [label, kind] : kLegacyLabels) {
        if (text == label) {
            v = kind;
            return;
        }
    }
    if (text.starts_with("family ") || text.starts_with("type ") || text.starts_with("socket")) {
        v = SocketKindSeen::Other;
        return;
    }
    throw nlohmann::json::type_error::create(
        302, "\"" + text + "\" is not a kind of socket socklens knows", &j);
}
void to_json(nlohmann::json& j, DescriptorOrigin v) {
    j = std::string(toString(v));
}
void from_json(const nlohmann::json& j, DescriptorOrigin& v) {
    namedFromJson(j, v, kDescriptorOrigins);
}
void to_json(nlohmann::json& j, DescriptorEnd v) {
    j = std::string(toString(v));
}
void from_json(const nlohmann::json& j, DescriptorEnd& v) {
    namedFromJson(j, v, kDescriptorEnds);
}
void to_json(nlohmann::json& j, HandoffActor v) {
    j = std::string(toString(v));
}
void from_json(const nlohmann::json& j, HandoffActor& v) {
    namedFromJson(j, v, kHandoffActors);
}

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(OptionReading, option, value, errorCode)
NLOHMANN_JSON_SERIALIZE_ENUM(Inheritance, {{Inheritance::Unknown, "unknown"},
                                           {Inheritance::Inheritable, "inheritable"},
                                           {Inheritance::NotInheritable, "not inheritable"}})

// ---- entries ---------------------------------------------------------------------------

namespace entry {
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(CommandIssued, text)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(CommandFailed, command, call, codeName, sentence)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ProcessStarted, process, pid, name, platform,
                                                helper, osVersion, linuxPid)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ProcessExited, process, reason)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SocketIdentified, socket, identity, kind, family,
                                                type, protocol, local, peer, tcpState)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(DescriptorOpened, descriptor, socket, how, wsaFlags)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(DescriptorClosed, descriptor, how)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(DuplicationStarted, duplication, socket, source,
                                                target, mechanism, handOff)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(HandoffStep, duplication, step, actor, text, detail)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ReferenceInFlight, duplication, socket)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(DuplicationFinished, duplication, result, failure)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(OptionSet, descriptor, option, requested, effective)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(OptionObserved, descriptor, option, value,
                                                errorCode)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(OptionsObserved, descriptor, readings)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(RegistrationMade, socket, through, mask, mechanism)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(OwnerObserved, socket, through, ownerPid, owner)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(EventDelivered, descriptor, socket, events,
                                                registered, band)
// Bytes a scenario sent need not be UTF-8, which JSON text must be: such bytes are written
// as hex ("bytes_hex") so a session replays exactly what crossed the socket.
namespace {

bool isUtf8(const std::string& text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const std::size_t length = lead < 0x80           ? 1
                                   : (lead >> 5) == 0x6  ? 2
                                   : (lead >> 4) == 0xE  ? 3
                                   : (lead >> 3) == 0x1E ? 4
                                                         : 0;
        if (length == 0 || i + length > text.size())
            return false;
        for (std::size_t k = 1; k < length; ++k) {
            if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2)
                return false;
        }
        i += length;
    }
    return true;
}

void bytesToJson(nlohmann::json& json, const std::string& bytes) {
    if (isUtf8(bytes)) {
        json["bytes"] = bytes;
        return;
    }
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string hex;
    for (const unsigned char byte : bytes)
        hex += {kDigits[byte >> 4], kDigits[byte & 0xF]};
    json["bytes_hex"] = hex;
}

std::string bytesFromJson(const nlohmann::json& json) {
    if (!json.contains("bytes_hex"))
        return json.value("bytes", std::string());
    const std::string hex = json.at("bytes_hex").get<std::string>();
    auto digit = [&](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        throw nlohmann::json::type_error::create(
            302, "bytes_hex holds a character that is not a hex digit", &json.at("bytes_hex"));
    };
    if (hex.size() % 2)
        throw nlohmann::json::type_error::create(302, "bytes_hex has an odd number of digits",
                                                 &json.at("bytes_hex"));
    std::string bytes;
    for (std::size_t i = 0; i < hex.size(); i += 2)
        bytes += char(digit(hex[i]) * 16 + digit(hex[i + 1]));
    return bytes;
}

} // namespace

void to_json(nlohmann::json& json, const DataSent& data) {
    json = {{"descriptor", data.descriptor},
            {"thread", data.thread},
            {"secondThread", data.secondThread}};
    bytesToJson(json, data.bytes);
}
void from_json(const nlohmann::json& json, DataSent& data) {
    json.at("descriptor").get_to(data.descriptor);
    data.thread = json.value("thread", std::int64_t(0));
    data.secondThread = json.value("secondThread", false);
    data.bytes = bytesFromJson(json);
}
void to_json(nlohmann::json& json, const DataReceived& data) {
    json = {{"descriptor", data.descriptor}};
    bytesToJson(json, data.bytes);
}
void from_json(const nlohmann::json& json, DataReceived& data) {
    json.at("descriptor").get_to(data.descriptor);
    data.bytes = bytesFromJson(json);
}
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Holder, process, pid, handle, inheritance)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(CountObserved, socket, count, inFlight, holders,
                                                inferred)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SocketLifetimeObserved, socket, listed, kernelState,
                                                note)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Disagreement, subject, believed, observed)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Problem, sentence)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ScenarioStarted, name, source)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(StepStarted, line, text, claims, troubleExpected)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(StepFinished, line, passed, outcome, claims,
                                                evidence)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ScenarioFinished, passed, summary)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ProcessAttached, process, how, limits)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(DescriptorObserved, descriptor, closeOnExec,
                                                nonBlocking, async, epoll, receiveQueue, sendQueue)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(InheritanceObserved, descriptor, inheritance)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ProvenanceObserved, descriptor, socket, provenance,
                                                evidence)
} // namespace entry

namespace {

/// Entries hold whole numbers only; converting a fraction (or 1e24) to an integer field is
/// undefined behaviour, so one anywhere refuses the entry.
void rejectFractions(const nlohmann::json& json) {
    if (json.is_number_float())
        throw nlohmann::json::type_error::create(
            302, "a fraction where only whole numbers are used", &json);
    if (json.is_structured()) {
        for (const nlohmann::json& item : json)
            rejectFractions(item);
    }
}

template <std::size_t I = 0>
EntryPayload payloadFromJson(std::string_view type, const nlohmann::json& data) {
    if constexpr (I == std::variant_size_v<EntryPayload>) {
        throw JournalFormatError("unknown entry type \"" + std::string(type) + "\"");
    } else {
        using Alternative = std::variant_alternative_t<I, EntryPayload>;
        if (Alternative::kName == type)
            return data.get<Alternative>();
        return payloadFromJson<I + 1>(type, data);
    }
}

} // namespace

nlohmann::json toJson(const JournalEntry& entry) {
    nlohmann::json data;
    std::visit([&](const auto& payload) { data = payload; }, entry.payload);
    return {{"seq", entry.sequence},
            {"time_us", entry.timeUs},
            {"type", nameOf(entry.payload)},
            {"data", std::move(data)}};
}

JournalEntry journalEntryFromJson(const nlohmann::json& json) {
    try {
        if (!json.is_object())
            throw JournalFormatError("an entry must be a JSON object");
        rejectFractions(json);
        JournalEntry entry;
        json.at("seq").get_to(entry.sequence);
        json.at("time_us").get_to(entry.timeUs);
        entry.payload = payloadFromJson(json.at("type").get<std::string>(),
                                        json.value("data", nlohmann::json::object()));
        return entry;
    } catch (const nlohmann::json::exception& error) {
        const std::string type =
            json.is_object() && json.contains("type") && json["type"].is_string()
                ? json["type"].get<std::string>()
                : std::string("entry");
        throw JournalFormatError(type + ": " + error.what());
    }
}

} // namespace socklens
