#include "sysmap/sock_diag.h"

#include "platform/posix/unique_fd.h"

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <memory>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <span>
#include <sys/socket.h>
#include <unistd.h>

namespace socklens::sysmap {

namespace {

using platform::UniqueFd;

/// Big enough for any one batch the kernel sends in a dump (it fills about a page or 32 KiB).
constexpr std::size_t kReceiveBuffer = 256 * 1024;

std::string errnoSentence(int code) {
    return std::strerror(code);
}

/// How many sockets this network namespace holds ("sockets: used N" in /proc/net/sockstat): room
/// for every one the dumps list, reserved once. A KernelSocket is large, and a vector grown
/// step by step copied 10 000s of them into fresh memory, each page of it costing a fault.
std::size_t socketsInUse() {
    std::ifstream sockstat("/proc/net/sockstat");
    std::string label, used;
    std::size_t count = 0;
    if (sockstat >> label >> used >> count && label == "sockets:" && used == "used")
        return count;
    return 0;
}

std::string formatInet(int family, const inet_diag_sockid& id, bool source) {
    const std::uint32_t* address = source ? id.idiag_src : id.idiag_dst;
    const std::uint16_t port = ntohs(source ? id.idiag_sport : id.idiag_dport);
    char text[INET6_ADDRSTRLEN] = {};
    if (family == AF_INET) {
        ::inet_ntop(AF_INET, address, text, sizeof text);
        return std::string(text) + ":" + std::to_string(port);
    }
    ::inet_ntop(AF_INET6, address, text, sizeof text);
    return "[" + std::string(text) + "]:" + std::to_string(port);
}

bool unspecified(const inet_diag_sockid& id) {
    return id.idiag_dport == 0 && id.idiag_dst[0] == 0 && id.idiag_dst[1] == 0 &&
           id.idiag_dst[2] == 0 && id.idiag_dst[3] == 0;
}

void readMemInfo(const rtattr* attribute, KernelSocket& socket) {
    if (RTA_PAYLOAD(attribute) < sizeof(std::uint32_t) * (SK_MEMINFO_SNDBUF + 1))
        return;
    std::uint32_t values[SK_MEMINFO_SNDBUF + 1];
    std::memcpy(values, RTA_DATA(attribute), sizeof values);
    socket.receiveBuffer = values[SK_MEMINFO_RCVBUF];
    socket.sendBuffer = values[SK_MEMINFO_SNDBUF];
}

std::string unixKind(std::uint8_t type) {
    switch (type) {
    case SOCK_STREAM:
        return "unix-stream";
    case SOCK_DGRAM:
        return "unix-dgram";
    case SOCK_SEQPACKET:
        return "unix-seqpacket";
    default:
        return "unix-type-" + std::to_string(type);
    }
}

std::string unixName(const rtattr* attribute) {
    const auto* name = static_cast<const char*>(RTA_DATA(attribute));
    const std::size_t length = RTA_PAYLOAD(attribute);
    if (length == 0)
        return "";
    if (name[0] == '\0') // the abstract namespace, written the way ss(8) does
        return "@" + std::string(name + 1, strnlen(name + 1, length - 1));
    return std::string(name, strnlen(name, length));
}

/// `protocol`: "tcp" or "udp", named "tcp6"/"udp6" for an IPv6 socket.
void parseInet(const nlmsghdr* header, const char* protocol, KernelSockets& out) {
    const auto* message = static_cast<const inet_diag_msg*>(NLMSG_DATA(header));
    if (header->nlmsg_len < NLMSG_LENGTH(sizeof *message) || message->idiag_inode == 0)
        return; // TIME_WAIT and request sockets have no inode: no descriptor can name them
    KernelSocket socket;
    socket.inode = message->idiag_inode;
    socket.kind = protocol;
    if (message->idiag_family == AF_INET6)
        socket.kind += '6';
    socket.local = formatInet(message->idiag_family, message->id, true);
    if (!unspecified(message->id))
        socket.peer = formatInet(message->idiag_family, message->id, false);
    socket.localPort = ntohs(message->id.idiag_sport);
    socket.peerPort = ntohs(message->id.idiag_dport);
    socket.state =
        message->idiag_state == TCP_CLOSE ? "UNCONNECTED" : tcpStateName(message->idiag_state);
    socket.receiveQueue = message->idiag_rqueue;
    socket.sendQueue = message->idiag_wqueue;
    socket.uid = message->idiag_uid;
    int length = int(header->nlmsg_len - NLMSG_LENGTH(sizeof *message));
    for (auto* attribute = reinterpret_cast<const rtattr*>(message + 1); RTA_OK(attribute, length);
         attribute = RTA_NEXT(attribute, length)) {
        if (attribute->rta_type == INET_DIAG_SKMEMINFO)
            readMemInfo(attribute, socket);
    }
    out.sockets.push_back(std::move(socket));
}

void parseUnix(const nlmsghdr* header, KernelSockets& out) {
    const auto* message = static_cast<const unix_diag_msg*>(NLMSG_DATA(header));
    if (header->nlmsg_len < NLMSG_LENGTH(sizeof *message))
        return;
    KernelSocket socket;
    socket.inode = message->udiag_ino;
    socket.kind = unixKind(message->udiag_type);
    socket.state =
        message->udiag_state == TCP_CLOSE ? "UNCONNECTED" : tcpStateName(message->udiag_state);
    int length = int(header->nlmsg_len - NLMSG_LENGTH(sizeof *message));
    for (auto* attribute = reinterpret_cast<const rtattr*>(message + 1); RTA_OK(attribute, length);
         attribute = RTA_NEXT(attribute, length)) {
        switch (attribute->rta_type) {
        case UNIX_DIAG_NAME:
            socket.local = unixName(attribute);
            break;
        case UNIX_DIAG_PEER:
            if (RTA_PAYLOAD(attribute) >= sizeof(std::uint32_t)) {
                std::uint32_t peer;
                std::memcpy(&peer, RTA_DATA(attribute), sizeof peer);
                socket.peerInode = peer;
            }
            break;
        case UNIX_DIAG_RQLEN:
            if (RTA_PAYLOAD(attribute) >= sizeof(unix_diag_rqlen)) {
                unix_diag_rqlen queues;
                std::memcpy(&queues, RTA_DATA(attribute), sizeof queues);
                socket.receiveQueue = queues.udiag_rqueue;
                socket.sendQueue = queues.udiag_wqueue;
            }
            break;
        case UNIX_DIAG_MEMINFO:
            readMemInfo(attribute, socket);
            break;
        default:
            break;
        }
    }
    out.sockets.push_back(std::move(socket));
}

/// One dump: sends `request` (its header's type set) and parses every answer with `parse`. A
/// sentence on failure.
template <class Request, class Parse>
std::optional<std::string> dump(int netlink, Request& request, std::uint32_t sequence,
                                const Parse& parse, std::span<char> buffer) {
    request.header.nlmsg_len = sizeof request;
    request.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    request.header.nlmsg_seq = sequence;
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (::sendto(netlink, &request, sizeof request, 0, reinterpret_cast<sockaddr*>(&kernel),
                 sizeof kernel) < 0)
        return "sending the request failed: " + errnoSentence(errno);
    for (;;) {
        const ssize_t received = ::recv(netlink, buffer.data(), buffer.size(), 0);
        if (received < 0) {
            if (errno == EINTR)
                continue;
            return "reading the answer failed: " + errnoSentence(errno);
        }
        if (received == 0)
            return std::string("the kernel closed the netlink socket");
        int length = int(received);
        for (auto* header = reinterpret_cast<const nlmsghdr*>(buffer.data());
             NLMSG_OK(header, length); header = NLMSG_NEXT(header, length)) {
            if (header->nlmsg_seq != sequence)
                continue;
            if (header->nlmsg_type == NLMSG_DONE)
                return std::nullopt;
            if (header->nlmsg_type == NLMSG_ERROR) {
                const auto* error = static_cast<const nlmsgerr*>(NLMSG_DATA(header));
                const int code = -error->error;
                if (code == ENOENT)
                    return std::string("the kernel has no diagnostics module for it (modprobe "
                                       "inet_diag tcp_diag udp_diag unix_diag)");
                return "the kernel refused the request: " + errnoSentence(code);
            }
            if (header->nlmsg_type == request.header.nlmsg_type) // answers carry the asked type
                parse(header);
        }
    }
}

struct InetRequest {
    nlmsghdr header;
    inet_diag_req_v2 body;
};

/// inet_diag's first request: it dumps every address family of a protocol at once.
struct BothFamiliesRequest {
    nlmsghdr header;
    inet_diag_req body;
};

struct UnixRequest {
    nlmsghdr header;
    unix_diag_req body;
};

} // namespace

const KernelSocket* KernelSockets::find(std::uint64_t inode) const {
    const auto found = std::lower_bound(
        sockets.begin(), sockets.end(), inode,
        [](const KernelSocket& socket, std::uint64_t wanted) { return socket.inode < wanted; });
    return found != sockets.end() && found->inode == inode ? &*found : nullptr;
}

void KernelSockets::order() {
    // Sorted as (inode, position) pairs, then every socket moved once, in place: a KernelSocket
    // is large, and sorting 10 000s in place moved each a dozen times, a sorted copy costs a page
    // fault per 4 KiB of fresh memory.
    std::vector<std::pair<std::uint64_t, std::size_t>> ranked;
    ranked.reserve(sockets.size());
    for (std::size_t i = 0; i < sockets.size(); ++i)
        ranked.emplace_back(sockets[i].inode, i);
    std::sort(ranked.begin(), ranked.end());
    std::vector<std::size_t> from; // from[i]: the position of the socket that goes to i
    std::vector<std::size_t> superseded;
    from.reserve(ranked.size());
    for (std::size_t i = 0; i < ranked.size(); ++i) {
        const bool readAgain = i + 1 < ranked.size() && ranked[i + 1].first == ranked[i].first;
        (readAgain ? superseded : from).push_back(ranked[i].second);
    }
    const std::size_t kept = from.size();
    from.insert(from.end(), superseded.begin(), superseded.end()); // to the end, then dropped
    std::vector<bool> placed(from.size());
    for (std::size_t start = 0; start < from.size(); ++start) { // one cycle of the permutation
        if (placed[start])
            continue;
        KernelSocket first = std::move(sockets[start]);
        std::size_t to = start;
        for (; from[to] != start; to = from[to]) {
            sockets[to] = std::move(sockets[from[to]]);
            placed[to] = true;
        }
        sockets[to] = std::move(first);
        placed[to] = true;
    }
    sockets.erase(sockets.begin() + std::ptrdiff_t(kept), sockets.end());
}

std::string tcpStateName(std::uint8_t state) {
    static constexpr std::array<const char*, 13> kNames = {
        "",      "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",   "TIME_WAIT",
        "CLOSE", "CLOSE_WAIT",  "LAST_ACK", "LISTEN",   "CLOSING",   "NEW_SYN_RECV"};
    if (state == 0 || state >= kNames.size())
        return "state " + std::to_string(state);
    return kNames[state];
}

KernelSockets readKernelSockets(const SockDiagFamilies& families) {
    KernelSockets out;
    UniqueFd netlink(::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG));
    if (!netlink.valid()) {
        out.problems.push_back("the kernel's socket diagnostics (NETLINK_SOCK_DIAG) cannot be "
                               "opened: " +
                               errnoSentence(errno) + "; no socket details are shown");
        return out;
    }
    // Not zeroed: only the part a batch fills is touched.
    const auto buffer = std::make_unique_for_overwrite<char[]>(kReceiveBuffer);
    out.sockets.reserve(socketsInUse());
    std::uint32_t sequence = 0;

    constexpr std::uint8_t kMemInfo = 1u << (INET_DIAG_SKMEMINFO - 1);
    // TCP of both families in one walk of the kernel's tables: each walk reads every bucket of
    // the established hash (about 3 ms on a machine of 24 GiB, however few connections it has).
    // Where the first version's request is refused, one dump per family below.
    bool tcpListed = false;
    if (families.tcp && families.tcpInOneDump) {
        BothFamiliesRequest request{};
        request.header.nlmsg_type = TCPDIAG_GETSOCK;
        request.body.idiag_family = AF_INET;
        request.body.idiag_states = ~0u;
        request.body.idiag_ext = kMemInfo;
        tcpListed = !dump(netlink.get(), request, ++sequence,
                          [&](const nlmsghdr* header) { parseInet(header, "tcp", out); },
                          {buffer.get(), kReceiveBuffer});
    }
    struct InetDump {
        bool wanted;
        std::uint8_t family;
        std::uint8_t protocol;
        const char* name;
    };
    const InetDump inetDumps[] = {
        {families.tcp && !tcpListed, AF_INET, IPPROTO_TCP, "tcp"},
        {families.tcp && !tcpListed, AF_INET6, IPPROTO_TCP, "tcp"},
        {families.udp, AF_INET, IPPROTO_UDP, "udp"},
        {families.udp, AF_INET6, IPPROTO_UDP, "udp"},
    };
    for (const InetDump& wanted : inetDumps) {
        if (!wanted.wanted)
            continue;
        InetRequest request{};
        request.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
        request.body.sdiag_family = wanted.family;
        request.body.sdiag_protocol = wanted.protocol;
        request.body.idiag_states = ~0u;
        request.body.idiag_ext = kMemInfo;
        if (auto problem =
                dump(netlink.get(), request, ++sequence,
                     [&](const nlmsghdr* header) { parseInet(header, wanted.name, out); },
                     {buffer.get(), kReceiveBuffer}))
            out.problems.push_back(std::string(wanted.name) +
                                   (wanted.family == AF_INET6 ? "6" : "") +
                                   " sockets could not be listed: " + *problem);
    }
    if (families.unixSockets) {
        UnixRequest request{};
        request.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
        request.body.sdiag_family = AF_UNIX;
        request.body.udiag_states = ~0u;
        request.body.udiag_show =
            UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN | UDIAG_SHOW_MEMINFO;
        if (auto problem = dump(netlink.get(), request, ++sequence,
                                [&](const nlmsghdr* header) { parseUnix(header, out); },
                                {buffer.get(), kReceiveBuffer}))
            out.problems.push_back("Unix sockets could not be listed: " + *problem);
    }
    out.order();
    if (families.unixSockets)
        for (KernelSocket& socket : out.sockets) // a Unix peer is named by its own address
            if (socket.peerInode != 0)
                if (const KernelSocket* peer = out.find(socket.peerInode))
                    socket.peer = peer->local;
    return out;
}

} // namespace socklens::sysmap
