// Journal entries <-> JSON (the session file's lines): every entry type and enum value round-trips.
#include "journal_json_samples.h"
#include "model/journal_json.h"

#include <cstddef>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace socklens {
namespace {

using namespace socklens::journal_json_samples;
using nlohmann::json;

template <std::size_t... I> std::set<std::string> allTypeNames(std::index_sequence<I...>) {
    return {std::string(std::variant_alternative_t<I, EntryPayload>::kName)...};
}

TEST(JournalJson, SamplesCoverEveryEntryType) {
    std::set<std::string> sampled;
    for (const EntryPayload& payload : samplePayloads())
        sampled.insert(std::string(nameOf(payload)));
    EXPECT_EQ(sampled, allTypeNames(std::make_index_sequence<std::variant_size_v<EntryPayload>>{}));
    EXPECT_EQ(samplePayloads().size(), std::variant_size_v<EntryPayload>);
}

TEST(JournalJson, EveryEntryTypeRoundTrips) {
    for (const EntryPayload& payload : samplePayloads()) {
        const JournalEntry original = entryOf(payload);
        const json written = toJson(original);
        const JournalEntry read = journalEntryFromJson(written);
        EXPECT_EQ(read.sequence, original.sequence) << nameOf(payload);
        EXPECT_EQ(read.timeUs, original.timeUs) << nameOf(payload);
        EXPECT_EQ(read.payload.index(), original.payload.index()) << nameOf(payload);
        EXPECT_EQ(toJson(read), written) << nameOf(payload);
    }
}

TEST(JournalJson, EveryEntryTypeRoundTripsThroughAJsonLine) {
    for (const EntryPayload& payload : samplePayloads()) {
        const JournalEntry original = entryOf(payload);
        const std::string line = toJson(original).dump();
        EXPECT_EQ(line.find('\n'), std::string::npos) << "one entry, one line: " << line;
        const JournalEntry read = journalEntryFromJson(json::parse(line));
        EXPECT_EQ(toJson(read).dump(), line) << nameOf(payload);
    }
}

TEST(JournalJson, RoundTripKeepsFieldValues) {
    // Beyond toJson equality: spot-check the values that survive, by type.
    const auto count = std::get<entry::CountObserved>(
        journalEntryFromJson(toJson(entryOf(samplePayloads()[18]))).payload);
    EXPECT_EQ(count.socket, kConn);
    EXPECT_EQ(count.count, 2);
    EXPECT_EQ(count.inFlight, 1);
    ASSERT_EQ(count.holders.size(), 2u);
    EXPECT_EQ(count.holders[1], (entry::Holder{kWorker, kWorkerPid, Handle(7)}));

    const auto finished = std::get<entry::StepFinished>(
        journalEntryFromJson(toJson(entryOf(samplePayloads()[23]))).payload);
    EXPECT_EQ(finished.line, 12);
    EXPECT_FALSE(finished.passed);
    EXPECT_EQ(finished.claims, std::vector<std::string>{"C6"});
    EXPECT_EQ(finished.evidence, (std::vector<Sequence>{Sequence(9), Sequence(11)}));

    const auto sent = std::get<entry::DataSent>(
        journalEntryFromJson(toJson(entryOf(samplePayloads()[16]))).payload);
    EXPECT_EQ(sent.bytes, std::get<entry::DataSent>(samplePayloads()[16]).bytes);

    const auto option = std::get<entry::OptionSet>(
        journalEntryFromJson(toJson(entryOf(samplePayloads()[11]))).payload);
    EXPECT_EQ(option.descriptor, kWorkerConn);
    EXPECT_EQ(option.option, SocketOption::Linger);
    EXPECT_EQ(option.requested, -1);
    EXPECT_EQ(option.effective, 7);

    const auto identified = std::get<entry::SocketIdentified>(
        journalEntryFromJson(toJson(entryOf(samplePayloads()[4]))).payload);
    EXPECT_EQ(identified.identity, 0x1234'5678'9abcULL);
    EXPECT_EQ(identified.family, 10);
}

TEST(JournalJson, EntryShapeIsSeqTimeTypeData) {
    const json written = toJson(entryOf(samplePayloads()[14], 12));
    EXPECT_EQ(written.at("seq"), 12);
    EXPECT_EQ(written.at("time_us"), 1'700'000'000'123'456);
    EXPECT_EQ(written.at("type"), "OwnerObserved");
    ASSERT_TRUE(written.at("data").is_object());
    EXPECT_EQ(written.at("data").at("through"), (json{{"process", 1}, {"handle", 5}}));
    EXPECT_EQ(written.at("data").at("ownerPid"), 1002);
    EXPECT_EQ(written.size(), 4u);
}

TEST(JournalJson, EnumsAreWrittenByName) {
    EXPECT_EQ(toJson(entryOf(samplePayloads()[2])).at("data").at("platform"), "winsock-wine");
    EXPECT_EQ(toJson(entryOf(samplePayloads()[7])).at("data").at("mechanism"),
              "WSADuplicateSocket");
    EXPECT_EQ(toJson(entryOf(samplePayloads()[11])).at("data").at("option"), "SO_LINGER");
    EXPECT_EQ(toJson(entryOf(samplePayloads()[13])).at("data").at("mechanism"), "WSAAsyncSelect");
    EXPECT_EQ(toJson(entryOf(entry::InheritanceObserved{kWorkerConn, Inheritance::NotInheritable}))
                  .at("data")
                  .at("inheritance"),
              "not inheritable");
    const entry::Holder holder{kWorker, OsPid(1001), Handle(7), Inheritance::Inheritable};
    EXPECT_EQ(toJson(entryOf(entry::CountObserved{kConn, 1, 0, {holder}}))
                  .at("data")
                  .at("holders")
                  .at(0)
                  .at("inheritance"),
              "inheritable");
}

TEST(JournalJson, EveryEnumValueRoundTrips) {
    for (SocketOption option : allSocketOptions()) {
        const json written = toJson(entryOf(entry::OptionObserved{kWorkerConn, option, 1, 0}));
        EXPECT_EQ(written.at("data").at("option"), std::string(toString(option)));
        EXPECT_EQ(std::get<entry::OptionObserved>(journalEntryFromJson(written).payload).option,
                  option);
    }
    for (Platform platform : {Platform::Linux, Platform::WinsockWine}) {
        const auto read = journalEntryFromJson(
            toJson(entryOf(entry::ProcessStarted{kCreator, kCreatorPid, "a", platform, true, ""})));
        EXPECT_EQ(std::get<entry::ProcessStarted>(read.payload).platform, platform);
    }
    for (RegistrationMechanism mechanism :
         {RegistrationMechanism::FcntlSetOwn, RegistrationMechanism::WsaEventSelect,
          RegistrationMechanism::WsaAsyncSelect}) {
        const auto read = journalEntryFromJson(
            toJson(entryOf(entry::RegistrationMade{kConn, kCreatorConn, FdRead, mechanism})));
        EXPECT_EQ(std::get<entry::RegistrationMade>(read.payload).mechanism, mechanism);
    }
    for (DuplicationMechanism mechanism :
         {DuplicationMechanism::ScmRights, DuplicationMechanism::DupInProcess,
          DuplicationMechanism::WsaDuplicateSocket}) {
        const auto read = journalEntryFromJson(toJson(entryOf(
            entry::DuplicationStarted{kDup, kConn, kCreatorConn, kWorker, mechanism, false})));
        EXPECT_EQ(std::get<entry::DuplicationStarted>(read.payload).mechanism, mechanism);
    }
}

// BUG: DataSent/DataReceived keep raw bytes in a JSON string, but JSON text must be UTF-8.
// Bytes that are not (any binary payload a socket can carry) make a plain dump() throw
// type_error 316; dumping with error_handler_t::replace, as the session writer does, turns
// them into U+FFFD, so the session file no longer holds what was sent or received and a
// replayed session differs from the live one. Fix: store the bytes in an encoding JSON can
// carry losslessly (hex or base64, e.g. "bytes_hex"), keeping "bytes" for valid UTF-8 only.
TEST(JournalJson, NonUtf8BytesRoundTripThroughAJsonLine) {
    const std::string bytes("\xff\xfe\x80 binary \xc3", 12);
    for (const EntryPayload& payload : {EntryPayload(entry::DataSent{kCreatorConn, bytes}),
                                        EntryPayload(entry::DataReceived{kWorkerConn, bytes})}) {
        std::string line;
        ASSERT_NO_THROW(
            line = toJson(entryOf(payload)).dump(-1, ' ', false, json::error_handler_t::replace))
            << nameOf(payload);
        const JournalEntry read = journalEntryFromJson(json::parse(line));
        const std::string readBytes = std::holds_alternative<entry::DataSent>(read.payload)
                                          ? std::get<entry::DataSent>(read.payload).bytes
                                          : std::get<entry::DataReceived>(read.payload).bytes;
        EXPECT_EQ(readBytes, bytes) << nameOf(payload);
    }
}

} // namespace
} // namespace socklens
