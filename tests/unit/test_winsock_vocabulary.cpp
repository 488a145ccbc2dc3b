// What the Linux side knows of Winsock without running it: the names and causes of WSA error
// codes (C12), and the WSAPROTOCOL_INFOW the broker decodes on its way between helpers (C1).
#include "broker/protocol_info.h"
#include "platform/wsa_errors.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <vector>

using namespace socklens;

namespace {

/// A WSAPROTOCOL_INFOW as Wine 8 filled it for a TCP socket duplicated to SOCKET 0x70.
std::vector<std::uint8_t> wineTcpProtocolInfo() {
    std::vector<std::uint8_t> bytes(628, 0);
    auto put = [&](std::size_t offset, std::uint32_t value) {
        for (int i = 0; i < 4; ++i)
            bytes[offset + std::size_t(i)] = std::uint8_t(value >> (8 * i));
    };
    put(0, 0x20066);     // dwServiceFlags1
    put(8, 0x70);        // dwServiceFlags3: Wine's handle in the target
    put(12, 0xff00ff00); // dwServiceFlags4: Wine's mark
    put(16, 0x8);        // dwProviderFlags
    put(20, 0xe70f1aa0); // ProviderId.Data1
    put(36, 1001);       // dwCatalogEntryId
    put(40, 1);          // ProtocolChain.ChainLen
    put(72, 2);          // iVersion
    put(76, 2);          // iAddressFamily
    put(88, 1);          // iSocketType
    put(92, 6);          // iProtocol
    const std::string name = "TCP/IP";
    for (std::size_t i = 0; i < name.size(); ++i)
        bytes[116 + 2 * i] = std::uint8_t(name[i]);
    return bytes;
}

} // namespace

TEST(WsaErrors, TheDocumentedFailuresHaveNamesAndCauses) {
    const std::vector<std::pair<std::int32_t, const char*>> documented{
        {10093, "WSANOTINITIALISED"}, {10050, "WSAENETDOWN"}, {10022, "WSAEINVAL"},
        {10036, "WSAEINPROGRESS"},    {10024, "WSAEMFILE"},   {10055, "WSAENOBUFS"},
        {10038, "WSAENOTSOCK"},       {10014, "WSAEFAULT"}};
    for (const auto& [code, name] : documented) {
        const auto text = platform::wsaErrorText(code);
        ASSERT_TRUE(text) << name;
        EXPECT_EQ(text->name, name);
        EXPECT_GT(text->cause.size(), 10u) << name;
    }
    // WSAEINVAL says what was invalid where the call tells: a bad pid for WSADuplicateSocket.
    EXPECT_EQ(platform::wsaErrorText(10022)->cause, "an argument is invalid");
    EXPECT_EQ(platform::wsaErrorText(10022, "setsockopt(TCP_NODELAY)")->cause,
              "an argument is invalid");
    EXPECT_NE(platform::wsaErrorText(10022, "WSADuplicateSocket")->cause.find("target process id"),
              std::string::npos);
    EXPECT_NE(platform::wsaErrorText(10038)->cause.find("not a socket"), std::string::npos);
    EXPECT_FALSE(platform::wsaErrorText(12345));
}

TEST(ProtocolInfo, EveryFieldIsNamedAndDecoded) {
    const std::string text = broker::describeProtocolInfo(wineTcpProtocolInfo()) + "\n";
    for (const char* line :
         {"dwServiceFlags1 0x20066 (XP1_GUARANTEED_DELIVERY|XP1_GUARANTEED_ORDER|"
          "XP1_GRACEFUL_CLOSE|XP1_EXPEDITED_DATA|XP1_IFS_HANDLES)",
          "dwServiceFlags3 0x70 (Wine: the handle it made in the target, 112)",
          "dwServiceFlags4 0xff00ff00 (Wine's mark of a duplicated socket)",
          "dwProviderFlags 0x8 (PFL_MATCHES_PROTOCOL_ZERO)",
          "ProviderId {e70f1aa0-0000-0000-0000-000000000000}", "dwCatalogEntryId 1001",
          "ProtocolChain.ChainLen 1 (BASE_PROTOCOL) [0]", "iAddressFamily 2 (AF_INET)",
          "iSocketType 1 (SOCK_STREAM)", "iProtocol 6 (IPPROTO_TCP)", "szProtocol \"TCP/IP\""})
        EXPECT_NE(text.find(std::string(line) + "\n"), std::string::npos) << line << "\n" << text;
}

TEST(ProtocolInfo, OtherBytesAreSaidToBeNoProtocolInfo) {
    EXPECT_EQ(broker::describeProtocolInfo(std::vector<std::uint8_t>(372, 0)),
              "372 bytes: not a WSAPROTOCOL_INFOW (628 bytes on x64)");
    std::vector<std::uint8_t> plain = wineTcpProtocolInfo();
    std::fill(plain.begin() + 12, plain.begin() + 16, 0); // no Wine mark: no Wine notes
    EXPECT_EQ(broker::describeProtocolInfo(plain).find("Wine"), std::string::npos);
}

TEST(ProtocolInfo, HexAndFlags) {
    EXPECT_EQ(broker::hexBytes(std::vector<std::uint8_t>{0x53, 0x4b, 0x00, 0xff}), "53 4b 00 ff");
    EXPECT_EQ(broker::hexBytes(std::vector<std::uint8_t>(33, 1)).find('\n'), 95u);
    EXPECT_EQ(broker::describeWsaFlags(0), "socket()");
    EXPECT_EQ(broker::describeWsaFlags(0x81),
              "WSASocket(WSA_FLAG_OVERLAPPED|WSA_FLAG_NO_HANDLE_INHERIT)");
    EXPECT_EQ(broker::wsaFlagNames(0x1000), "0x1000");
}
