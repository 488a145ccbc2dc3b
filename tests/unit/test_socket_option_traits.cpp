// The one option table (core/model/socket_options.def): what each line gives every layer.
#include "model/socket_vocabulary.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

// clang-format off: after the OS headers, whose SOL_*/SO_*/IPPROTO_* macros it names.
#include "platform/native_socket_option.h"
// clang-format on

namespace socklens {
namespace {

struct Expected {
    SocketOption option;
    int wire;
    const char* name;
    OptionValueKind kind;
    int level;
    int native;
};

// A new line in the table needs a line here: the test below counts them.
const Expected kExpected[] = {
    {SocketOption::RcvBuf, 1, "SO_RCVBUF", OptionValueKind::Bytes, SOL_SOCKET, SO_RCVBUF},
    {SocketOption::SndBuf, 2, "SO_SNDBUF", OptionValueKind::Bytes, SOL_SOCKET, SO_SNDBUF},
    {SocketOption::KeepAlive, 3, "SO_KEEPALIVE", OptionValueKind::Switch, SOL_SOCKET, SO_KEEPALIVE},
    {SocketOption::ReuseAddr, 4, "SO_REUSEADDR", OptionValueKind::Switch, SOL_SOCKET, SO_REUSEADDR},
    {SocketOption::Linger, 5, "SO_LINGER", OptionValueKind::LingerSeconds, SOL_SOCKET, SO_LINGER},
    {SocketOption::RcvLowat, 6, "SO_RCVLOWAT", OptionValueKind::Bytes, SOL_SOCKET, SO_RCVLOWAT},
    {SocketOption::TcpNoDelay, 7, "TCP_NODELAY", OptionValueKind::Switch, IPPROTO_TCP, TCP_NODELAY},
    {SocketOption::IpTtl, 8, "IP_TTL", OptionValueKind::Hops, IPPROTO_IP, IP_TTL},
};

TEST(SocketOptionTraits, EveryLineGivesItsWireValueNameKindAndNativeArguments) {
    ASSERT_EQ(allSocketOptions().size(), std::size(kExpected));
    for (std::size_t i = 0; i < std::size(kExpected); ++i) {
        const Expected& expected = kExpected[i];
        SCOPED_TRACE(expected.name);
        EXPECT_EQ(allSocketOptions()[i], expected.option) << "display order is the table's";
        EXPECT_EQ(int(expected.option), expected.wire);
        const SocketOptionTraits& traits = traitsOf(expected.option);
        EXPECT_EQ(traits.option, expected.option);
        EXPECT_EQ(traits.name, expected.name);
        EXPECT_EQ(traits.kind, expected.kind);
        EXPECT_EQ(toString(expected.option), expected.name);
        EXPECT_EQ(socketOptionFromString(expected.name), expected.option);
        const std::optional<platform::NativeOption> native =
            platform::nativeOption(expected.option);
        ASSERT_TRUE(native.has_value());
        EXPECT_EQ(native->level, expected.level);
        EXPECT_EQ(native->name, expected.native);
    }
    EXPECT_EQ(kLastSocketOption, SocketOption::IpTtl);
    EXPECT_EQ(platform::nativeOption(SocketOption(99)), std::nullopt);
    EXPECT_EQ(socketOptionFromString("SO_NOSUCH"), std::nullopt);
    EXPECT_EQ(socketOptionNames(), "SO_RCVBUF, SO_SNDBUF, SO_KEEPALIVE, SO_REUSEADDR, SO_LINGER, "
                                   "SO_RCVLOWAT, TCP_NODELAY, IP_TTL");
}

TEST(SocketOptionTraits, RangesFollowTheValueKind) {
    EXPECT_TRUE(optionValueInRange(SocketOption::KeepAlive, 1));
    EXPECT_FALSE(optionValueInRange(SocketOption::KeepAlive, 2));
    EXPECT_FALSE(optionValueInRange(SocketOption::RcvBuf, -1)) << "a negative size is refused";
    EXPECT_TRUE(optionValueInRange(SocketOption::RcvBuf, 2147483647));
    EXPECT_FALSE(optionValueInRange(SocketOption::RcvBuf, 2147483648LL)) << "beyond a C int";
    EXPECT_TRUE(optionValueInRange(SocketOption::Linger, -1)) << "-1 is linger off";
    EXPECT_FALSE(optionValueInRange(SocketOption::Linger, 65536)) << "Winsock's u_short";
    EXPECT_FALSE(optionValueInRange(SocketOption::IpTtl, 0));
    EXPECT_TRUE(optionValueInRange(SocketOption::IpTtl, 255));
    EXPECT_FALSE(optionValueInRange(SocketOption::IpTtl, 256));
}

TEST(SocketOptionTraits, ValuesReadAsPeopleSayThem) {
    EXPECT_EQ(describeOptionValue(SocketOption::RcvBuf, 24690), "24690 bytes");
    EXPECT_EQ(shortOptionValue(SocketOption::RcvBuf, 24690), "24690");
    EXPECT_EQ(describeOptionValue(SocketOption::TcpNoDelay, 1), "on");
    EXPECT_EQ(shortOptionValue(SocketOption::KeepAlive, 0), "off");
    EXPECT_EQ(describeOptionValue(SocketOption::Linger, 5), "on, 5 s");
    EXPECT_EQ(shortOptionValue(SocketOption::Linger, 5), "5 s");
    EXPECT_EQ(describeOptionValue(SocketOption::Linger, -1), "off");
    EXPECT_EQ(describeOptionValue(SocketOption::IpTtl, 64), "64 hops");
}

} // namespace
} // namespace socklens
