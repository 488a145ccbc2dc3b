// libFuzzer: the broker side of the protocol. A fake helper, attached through a real AF_UNIX
// socket, answers the real broker's requests with what the input says: frames of the right
// type with fuzzed payloads, raw bytes, plausible replies with fuzzed contents, descriptors
// attached, events in between. Whatever comes, the broker may only fail a command with a
// BrokerError: any other exception, a crash, a leak or undefined behaviour is a finding.
//
// Input: records of (action: 1 byte, length: 1 byte, `length` bytes), one per request.
#include "broker/broker.h"
#include "platform/posix/fd_channel.h"
#include "raw_send.h"

#include <atomic>
#include <cstring>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>

using namespace socklens;
using Bytes = std::vector<std::uint8_t>;

namespace {

struct Records {
    const std::uint8_t* data;
    std::size_t size;
    bool next(std::uint8_t& action, Bytes& bytes) {
        if (size < 2)
            return false;
        action = data[0];
        const std::size_t length = std::min<std::size_t>(data[1], size - 2);
        bytes.assign(data + 2, data + 2 + length);
        data += 2 + length;
        size -= 2 + length;
        return true;
    }
};

template <std::size_t I = 0> protocol::Message messageOfType(protocol::MessageType type) {
    if constexpr (I < std::variant_size_v<protocol::Message>) {
        using Alternative = std::variant_alternative_t<I, protocol::Message>;
        if (Alternative::kType == type)
            return Alternative{};
        return messageOfType<I + 1>(type);
    } else {
        return protocol::Failure{};
    }
}

std::int64_t numberFrom(const Bytes& bytes, std::size_t at) {
    std::int64_t value = 0;
    for (std::size_t i = at; i < bytes.size() && i < at + 8; ++i)
        value = value << 8 | bytes[i];
    return value;
}

/// A reply of the shape `request` calls for, its contents taken from `bytes`.
protocol::Message plausibleReply(const protocol::Message& request, const Bytes& bytes) {
    const std::uint32_t id = protocol::requestIdOf(request);
    const protocol::DescriptorDescription described{numberFrom(bytes, 0) & 0xff,
                                                    {std::uint64_t(numberFrom(bytes, 1)), 2, 1, 6,
                                                     SocketKindSeen::TcpConnected, "127.0.0.1:1",
                                                     "", ""}};
    const protocol::DescriptorObservation read{described, numberFrom(bytes, 3), {}, 0};
    switch (protocol::typeOf(request)) {
    case protocol::MessageType::Hello:
        return protocol::HelloReply{id, ::getpid(), Platform::Linux, "fuzz", "fuzz"};
    case protocol::MessageType::CreateSocket:
        return protocol::DescriptorsReply{id, {read, read}};
    case protocol::MessageType::DupDescriptor:
    case protocol::MessageType::ImportDescriptor:
    case protocol::MessageType::ExportDescriptor:
        return protocol::DescriptorsReply{id, {read}};
    case protocol::MessageType::SetOption:
    case protocol::MessageType::GetOption:
        return protocol::OptionReply{id,
                                     {SocketOption(1 + bytes.size() % 8), numberFrom(bytes, 2), 0}};
    case protocol::MessageType::Send:
        return protocol::SendReply{id, std::uint64_t(numberFrom(bytes, 0) % 16), 1};
    case protocol::MessageType::Receive:
        return protocol::ReceiveReply{id, bytes};
    case protocol::MessageType::Observe:
        return protocol::ObservationReply{id, {read}, {}};
    default:
        return protocol::DescriptorsReply{id, {}};
    }
}

void sendWithFds(int channel, const Bytes& frame, std::size_t fdCount) {
    std::vector<int> fds;
    for (std::size_t i = 0; i < fdCount; ++i) {
        int pair[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) == 0) {
            fds.push_back(pair[0]);
            ::close(pair[1]);
        }
    }
    testing::sendWithDescriptors(channel, frame, fds);
    for (const int fd : fds)
        ::close(fd);
}

/// Answers one request as `action` says.
void answer(int channel, const protocol::Message& request, std::uint8_t action,
            const Bytes& bytes) {
    const protocol::Message reply = plausibleReply(request, bytes);
    switch (action % 6) {
    case 0: { // the reply's type and request id, a fuzzed payload
        Bytes frame = protocol::encodeFrame(messageOfType(protocol::typeOf(reply)));
        frame.resize(protocol::kFrameHeaderSize);
        Bytes payload = bytes;
        const std::uint32_t id = protocol::requestIdOf(request);
        for (std::size_t i = 0; i < 4 && i < payload.size(); ++i)
            payload[i] = std::uint8_t(id >> (8 * i));
        for (std::size_t i = 0; i < 4; ++i)
            frame[10 + i] = std::uint8_t(payload.size() >> (8 * i));
        frame.insert(frame.end(), payload.begin(), payload.end());
        sendWithFds(channel, frame, 0);
        break;
    }
    case 1: // raw bytes
        sendWithFds(channel, bytes, 0);
        break;
    case 2: // a plausible reply, with the descriptor an export carries
        sendWithFds(channel, protocol::encodeFrame(reply, action & 0x80 ? 1 : 0),
                    protocol::typeOf(request) == protocol::MessageType::ExportDescriptor);
        break;
    case 3: // descriptors attached, announced or not
        sendWithFds(channel, protocol::encodeFrame(reply, std::uint8_t(action >> 4)),
                    bytes.empty() ? 0 : bytes[0] % 20);
        break;
    case 4: { // an event first
        protocol::NetworkEvent event;
        event.handle = numberFrom(bytes, 0) & 0xff;
        sendWithFds(channel, protocol::encodeFrame(event), 0);
        sendWithFds(channel, protocol::encodeFrame(reply), 0);
        break;
    }
    default: // another request's id
        sendWithFds(channel, protocol::encodeFrame(plausibleReply(protocol::Hello{}, bytes)), 0);
        break;
    }
}

/// The fake helper: answers the Hello, then each request from the input until it runs out.
void serve(int listener, Records records) {
    pollfd incoming{listener, POLLIN, 0};
    if (::poll(&incoming, 1, 2000) <= 0)
        return;
    platform::FdChannel channel{
        platform::UniqueFd(::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC))};
    bool greeted = false;
    for (;;) {
        std::optional<platform::ReceivedFrame> request;
        try {
            while (!(request = channel.nextFrame())) {
                pollfd readable{channel.fd(), POLLIN, 0};
                if (::poll(&readable, 1, 2000) <= 0 || !channel.readAvailable())
                    return;
            }
        } catch (const std::exception&) {
            return;
        }
        std::uint8_t action = 2;
        Bytes bytes;
        if (greeted && !records.next(action, bytes))
            return; // hangs up: the broker drops the helper
        greeted = true;
        answer(channel.fd(), request->message, action, bytes);
    }
}

void runCommands(broker::Broker& broker, ProcessId helper) {
    auto attempt = [](auto&& command) {
        try {
            command();
        } catch (const broker::BrokerError&) {
        }
    };
    std::vector<DescriptorRef> made;
    attempt([&] { made = broker.createSocket(helper, SocketKind::TcpPair); });
    if (made.empty())
        return;
    const DescriptorRef first = made.front();
    attempt([&] { broker.getOption(first, SocketOption::RcvBuf); });
    attempt([&] { broker.setOption(first, SocketOption::SndBuf, 8192); });
    attempt([&] { broker.send(first, "ping"); });
    attempt([&] { broker.receive(first, 16); });
    attempt([&] { broker.duplicate(first, helper); });
    attempt([&] { broker.registerEvents(first, 1); });
    attempt([&] { broker.observe(); });
    attempt([&] { broker.close(first); });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path =
        "/tmp/socklens-fuzz-broker-" + std::to_string(::getpid()) + ".sock";
    ::unlink(path.c_str());
    const int listener = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    if (::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener, 1) != 0) {
        ::close(listener);
        return 0;
    }
    std::thread helper(serve, listener, Records{data, size});
    {
        broker::BrokerOptions options;
        options.helperPath = "/nonexistent"; // only attached helpers here
        options.commandTimeout = std::chrono::milliseconds(100);
        broker::Broker broker(options);
        try {
            const ProcessId attached = broker.attachHelper(path, "fake");
            runCommands(broker, attached);
        } catch (const broker::BrokerError&) {
        }
    } // the broker hangs up; the fake helper's reads end
    helper.join();
    ::close(listener);
    ::unlink(path.c_str());
    return 0;
}
