// A peer that writes and then dies with our request unread: Linux hands us its bytes, then
// ECONNRESET. The bytes are decoded first, so a bad frame is named as such, not hidden
// behind the reset (a helper that prints garbage and exits).
#include "platform/posix/fd_channel.h"

#include <gtest/gtest.h>
#include <string_view>
#include <sys/socket.h>
#include <unistd.h>

namespace socklens::platform {
namespace {

TEST(FdChannelErrors, BytesBeforeAResetAreDecodedBeforeTheResetIsReported) {
    int ends[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends), 0);
    FdChannel channel{UniqueFd(ends[0])};
    channel.send(protocol::Hello{1}); // left unread by the peer: its close resets us
    constexpr std::string_view garbage = "this is not a socklens frame\r\n";
    ASSERT_EQ(::write(ends[1], garbage.data(), garbage.size()), ssize_t(garbage.size()));
    ::close(ends[1]);

    EXPECT_TRUE(channel.readAvailable()) << "the bytes come first";
    EXPECT_THROW(channel.nextFrame(), protocol::ProtocolError);
    try {
        channel.readAvailable();
        ADD_FAILURE() << "the reset was lost";
    } catch (const OsError& error) {
        EXPECT_EQ(error.codeName(), "ECONNRESET");
    }
}

} // namespace
} // namespace socklens::platform
