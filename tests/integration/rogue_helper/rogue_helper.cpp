// socklens-rogue-helper: a real helper (the same request handler) that misbehaves once on
// purpose, for the tests of the broker's trust boundary (test_rogue_helpers.cpp). Started by
// the broker like socklens-helper (`--channel-fd N`) or by hand (`--listen PATH`); what it
// does wrong is read from $SOCKLENS_ROGUE, "MODE" or "MODE:REQUEST" (the request type that
// triggers it, CreateSocket unless named):
//   wrong-type      answers the trigger with an OptionReply
//   wrong-id        answers the trigger with another request id
//   no-descriptors  answers the trigger with a DescriptorsReply that names no descriptor
//   stray-fds       before the trigger's reply, 625 events carrying 16 unannounced fds each
//   fd-burst        attaches 250 descriptors to one message (more than a frame may carry)
//   stop-reading    answers the trigger, then stops itself (SIGSTOP)
//   flood           before the trigger's reply, 20 000 events
//   lie-pid         claims its parent's pid in Hello
#include "helper/request_handler.h"
#include "platform/notifications.h"
#include "platform/posix/fd_channel.h"
#include "raw_send.h"

#include <array>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <vector>

using namespace socklens;

namespace {

struct Rogue {
    std::string mode;
    protocol::MessageType trigger = protocol::MessageType::CreateSocket;
};

Rogue rogueFromEnvironment() {
    Rogue rogue;
    const char* text = std::getenv("SOCKLENS_ROGUE");
    rogue.mode = text ? text : "";
    if (const auto colon = rogue.mode.find(':'); colon != std::string::npos) {
        const std::string trigger = rogue.mode.substr(colon + 1);
        rogue.mode.resize(colon);
        for (std::uint16_t type = 0x0101; type <= 0x010E; ++type) {
            if (protocol::toString(protocol::MessageType(type)) == trigger)
                rogue.trigger = protocol::MessageType(type);
        }
    }
    return rogue;
}

/// The handle a request names, for events about a descriptor the helper really holds.
std::int64_t handleOf(const protocol::Message& request) {
    return std::visit(
        [](const auto& message) -> std::int64_t {
            if constexpr (requires { message.handle; })
                return message.handle;
            return 0;
        },
        request);
}

/// Sends `frame` with `fds` attached, whatever it announces; a failure ends the rogue.
void sendRaw(int channel, const std::vector<std::uint8_t>& frame, const std::vector<int>& fds) {
    if (!testing::sendWithDescriptors(channel, frame, fds))
        std::exit(3);
}

std::vector<int> openNull(std::size_t count) {
    std::vector<int> fds;
    for (std::size_t i = 0; i < count; ++i)
        fds.push_back(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    return fds;
}

void closeAll(const std::vector<int>& fds) {
    for (const int fd : fds)
        ::close(fd);
}

/// Does the rogue's one wrong thing for `request`; false: answer it as a helper would.
bool misbehave(const Rogue& rogue, const protocol::Message& request, platform::FdChannel& channel) {
    const std::uint32_t id = protocol::requestIdOf(request);
    protocol::NetworkEvent event;
    event.handle = handleOf(request);
    event.events = 1;
    if (rogue.mode == "wrong-type") {
        channel.send(protocol::OptionReply{id, {}});
    } else if (rogue.mode == "wrong-id") {
        channel.send(protocol::DescriptorsReply{id + 1000, {}});
    } else if (rogue.mode == "no-descriptors") {
        channel.send(protocol::DescriptorsReply{id, {}});
    } else if (rogue.mode == "stray-fds") {
        const std::vector<int> fds = openNull(16);
        for (int i = 0; i < 625; ++i)
            sendRaw(channel.fd(), protocol::encodeFrame(event, 0), fds);
        closeAll(fds);
        return false;
    } else if (rogue.mode == "fd-burst") {
        const std::vector<int> fds = openNull(250);
        sendRaw(channel.fd(), protocol::encodeFrame(event, 0), fds);
        closeAll(fds);
        return false;
    } else if (rogue.mode == "flood") {
        for (int i = 0; i < 20000; ++i)
            channel.send(event);
        return false;
    } else {
        return false;
    }
    return true;
}

int serve(int fd, const Rogue& rogue) {
    platform::FdChannel channel{platform::UniqueFd(fd)};
    platform::EventNotifications notifications;
    helper::RequestHandler handler(notifications);
    for (;;) {
        pollfd waiting{channel.fd(), POLLIN, 0};
        if (::poll(&waiting, 1, -1) < 0)
            continue;
        const bool open = channel.readAvailable();
        while (std::optional<platform::ReceivedFrame> frame = channel.nextFrame()) {
            const bool triggered = protocol::typeOf(frame->message) == rogue.trigger;
            if (triggered && misbehave(rogue, frame->message, channel))
                continue;
            std::vector<Handle> received;
            for (platform::UniqueFd& passed : frame->fds)
                received.emplace_back(passed.release());
            helper::RequestHandler::Reply reply =
                handler.handle(frame->message, std::move(received));
            if (auto* hello = std::get_if<protocol::HelloReply>(&reply.message);
                hello && rogue.mode == "lie-pid")
                hello->pid = ::getppid();
            std::vector<int> attached;
            for (const Handle handle : reply.attached)
                attached.push_back(int(handle.value()));
            channel.send(reply.message, attached);
            if (triggered && rogue.mode == "stop-reading")
                ::raise(SIGSTOP);
        }
        if (!open)
            return 0;
    }
}

int listenOnce(const std::string& path) {
    const int listener = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::snprintf(address.sun_path, sizeof address.sun_path, "%s", path.c_str());
    ::unlink(path.c_str());
    if (::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener, 1) != 0)
        return -1;
    std::cout << "listening on " << path << std::endl; // the test waits for this line
    const int connection = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    ::close(listener);
    ::unlink(path.c_str());
    return connection;
}

} // namespace

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN);
    const Rogue rogue = rogueFromEnvironment();
    if (argc == 3 && std::string(argv[1]) == "--channel-fd")
        return serve(std::atoi(argv[2]), rogue);
    if (argc == 3 && std::string(argv[1]) == "--listen") {
        const int connection = listenOnce(argv[2]);
        return connection < 0 ? 2 : serve(connection, rogue);
    }
    std::cerr << "usage: socklens-rogue-helper --channel-fd N | --listen PATH\n";
    return 2;
}
