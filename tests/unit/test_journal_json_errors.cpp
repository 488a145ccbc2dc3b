// Journal JSON refused with a JournalFormatError that says what is wrong; older and closed names.
#include "journal_json_samples.h"
#include "model/entry_text.h"
#include "model/journal_json.h"

#include <exception>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace socklens {
namespace {

using namespace socklens::journal_json_samples;
using nlohmann::json;

/// The message of the JournalFormatError that reading `value` throws ("" if none).
std::string formatError(const json& value) {
    try {
        journalEntryFromJson(value);
    } catch (const JournalFormatError& error) {
        return error.what();
    } catch (const std::exception& error) {
        ADD_FAILURE() << "not a JournalFormatError: " << error.what();
        return "";
    }
    ADD_FAILURE() << "accepted: " << value.dump();
    return "";
}

json validEntry() {
    return toJson(entryOf(entry::OptionSet{kWorkerConn, SocketOption::RcvBuf, 12345, 24690}));
}

TEST(JournalJson, ANonObjectIsRefused) {
    for (const json& value :
         {json::array({1, 2}), json("CountObserved"), json(12), json(nullptr)}) {
        const std::string message = formatError(value);
        EXPECT_NE(message.find("object"), std::string::npos) << value.dump() << ": " << message;
    }
}

TEST(JournalJson, MissingSeqIsRefusedNamingIt) {
    json value = validEntry();
    value.erase("seq");
    const std::string message = formatError(value);
    EXPECT_NE(message.find("seq"), std::string::npos) << message;
}

TEST(JournalJson, MissingTimeOrTypeIsRefusedNamingIt) {
    for (const char* field : {"time_us", "type"}) {
        json value = validEntry();
        value.erase(field);
        const std::string message = formatError(value);
        EXPECT_NE(message.find(field), std::string::npos) << field << ": " << message;
    }
}

TEST(JournalJson, UnknownTypeIsRefusedNamingIt) {
    json value = validEntry();
    value["type"] = "SocketExploded";
    const std::string message = formatError(value);
    EXPECT_NE(message.find("unknown entry type"), std::string::npos) << message;
    EXPECT_NE(message.find("SocketExploded"), std::string::npos) << message;

    // Type names are matched exactly.
    value["type"] = "optionset";
    EXPECT_NE(formatError(value).find("optionset"), std::string::npos);
}

TEST(JournalJson, UnknownEnumValueIsRefusedNamingTheValue) {
    json value = validEntry();
    value["data"]["option"] = "SO_BOGUS";
    std::string message = formatError(value);
    EXPECT_NE(message.find("SO_BOGUS"), std::string::npos) << message;

    json process = toJson(entryOf(samplePayloads()[2]));
    process["data"]["platform"] = "beos";
    message = formatError(process);
    EXPECT_NE(message.find("beos"), std::string::npos) << message;

    json registration = toJson(entryOf(samplePayloads()[13]));
    registration["data"]["mechanism"] = "select";
    message = formatError(registration);
    EXPECT_NE(message.find("select"), std::string::npos) << message;

    // An enum written as its number (not its name) is not accepted either.
    value["data"]["option"] = 1;
    formatError(value);
}

TEST(JournalJson, WrongFieldTypeIsAJournalFormatError) {
    const std::vector<std::pair<std::string, json>> cases{
        {"seq", "twelve"},         {"time_us", json::array()}, {"type", 7},
        {"data", "not an object"}, {"data", json::array()},
    };
    for (const auto& [field, bad] : cases) {
        json value = validEntry();
        value[field] = bad;
        EXPECT_FALSE(formatError(value).empty()) << field << " = " << bad.dump();
    }
    for (const auto& [field, bad] : std::vector<std::pair<std::string, json>>{
             {"requested", "12345"}, {"descriptor", 5}, {"effective", json::object()}}) {
        json value = validEntry();
        value["data"][field] = bad;
        EXPECT_FALSE(formatError(value).empty()) << field << " = " << bad.dump();
    }
    json count = toJson(entryOf(samplePayloads()[18]));
    count["data"]["holders"] = json::array({json{{"process", "one"}, {"pid", 1}, {"handle", 2}}});
    EXPECT_FALSE(formatError(count).empty());
}

// BUG: journal_json.h promises that "the message names the field", but a field of the wrong
// type (or an unknown enum name) surfaces as nlohmann's bare "type must be number, but is
// string" / "\"SO_BOGUS\" is not a known value here", which names neither the field nor the
// entry type. Reading a damaged session file then gives the user no clue where to look.
TEST(JournalJson, ErrorMessagesNameTheOffendingField) {
    json seq = validEntry();
    seq["seq"] = "twelve";
    std::string message = formatError(seq);
    EXPECT_NE(message.find("seq"), std::string::npos) << message;

    json requested = validEntry();
    requested["data"]["requested"] = "12345";
    message = formatError(requested);
    EXPECT_NE(message.find("requested"), std::string::npos) << message;

    json option = validEntry();
    option["data"]["option"] = "SO_BOGUS";
    message = formatError(option);
    EXPECT_NE(message.find("option"), std::string::npos) << message;
}

// The journal's closed vocabularies (how a descriptor came and went, who acted in a hand-off
// step) read back as written, and a value outside them is refused by name, never taken as
// the first one.
TEST(JournalJson, ClosedVocabulariesRoundTripAndRefuseStrangers) {
    for (DescriptorOrigin origin : kDescriptorOrigins) {
        const JournalEntry entry = entryOf(entry::DescriptorOpened{kWorkerConn, kConn, origin});
        EXPECT_EQ(toJson(entry)["data"]["how"], std::string(toString(origin)));
        EXPECT_EQ(
            std::get<entry::DescriptorOpened>(journalEntryFromJson(toJson(entry)).payload).how,
            origin);
    }
    for (DescriptorEnd end : kDescriptorEnds) {
        const JournalEntry entry = entryOf(entry::DescriptorClosed{kWorkerConn, end});
        EXPECT_EQ(
            std::get<entry::DescriptorClosed>(journalEntryFromJson(toJson(entry)).payload).how,
            end);
    }
    for (HandoffActor actor : kHandoffActors) {
        const JournalEntry entry = entryOf(entry::HandoffStep{kDup, 3, actor, "t", ""});
        EXPECT_EQ(std::get<entry::HandoffStep>(journalEntryFromJson(toJson(entry)).payload).actor,
                  actor);
    }
    json opened = toJson(entryOf(entry::DescriptorOpened{kWorkerConn, kConn}));
    opened["data"]["how"] = "teleported";
    std::string message = formatError(opened);
    EXPECT_NE(message.find("teleported"), std::string::npos) << message;
    EXPECT_NE(message.find("how"), std::string::npos) << message;
    json identified = toJson(entryOf(entry::SocketIdentified{kConn, 7, SocketKindSeen::Udp}));
    EXPECT_EQ(identified["data"]["kind"], "UDP");
    identified["data"]["kind"] = "carrier pigeon";
    EXPECT_NE(formatError(identified).find("carrier pigeon"), std::string::npos);
    json step = toJson(entryOf(entry::HandoffStep{kDup, 3, HandoffActor::Broker, "t", ""}));
    step["data"]["actor"] = "kernel";
    EXPECT_NE(formatError(step).find("kernel"), std::string::npos);
}

// Sessions of format 4 stored each reader's own label for a socket's kind; they still read.
TEST(JournalJson, OlderKindLabelsReadAsTheKindTheyNamed) {
    const std::pair<const char*, SocketKindSeen> labels[] = {
        {"TCP listener", SocketKindSeen::TcpListener},
        {"tcp6", SocketKindSeen::Tcp},
        {"unix-dgram", SocketKindSeen::UnixDatagram},
        {"family 23 type 1", SocketKindSeen::Other},
        {"socket (not in the kernel's TCP, UDP or Unix lists)", SocketKindSeen::Other},
    };
    for (const auto& [label, kind] : labels) {
        json value = toJson(entryOf(entry::SocketIdentified{kConn, 7}));
        value["data"]["kind"] = label;
        EXPECT_EQ(std::get<entry::SocketIdentified>(journalEntryFromJson(value).payload).kind, kind)
            << label;
    }
    EXPECT_EQ(kindText(SocketKindSeen::Other, 23, 1), "family 23 type 1");
    EXPECT_EQ(kindText(SocketKindSeen::UnixStream, 1, 1), "Unix stream");
}

} // namespace
} // namespace socklens
