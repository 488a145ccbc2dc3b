// The kernel's own list of sockets, read through the sock_diag netlink interface
// (NETLINK_SOCK_DIAG): inet_diag for TCP and UDP over IPv4 and IPv6, unix_diag for AF_UNIX.
// One dump per family and protocol, never one request per socket. A socket the kernel still
// lists is alive, whether or not any process holds a descriptor of it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace socklens::sysmap {

/// One socket as the kernel describes it.
struct KernelSocket {
    std::uint64_t inode = 0;
    std::string
        kind; ///< "tcp", "tcp6", "udp", "udp6", "unix-stream", "unix-dgram", "unix-seqpacket"
    std::string local; ///< "127.0.0.1:80", "[::1]:80"; a Unix path, "@abstract" or ""
    std::string peer;  ///< "" when not connected (Unix: see peerInode)
    std::string state; ///< "LISTEN", "ESTABLISHED", ... ("UNCONNECTED" for a socket in TCP_CLOSE)
    std::uint16_t localPort = 0; ///< inet only
    std::uint16_t peerPort = 0;
    std::uint32_t receiveQueue = 0; ///< bytes (a TCP listener: connections waiting for accept)
    std::uint32_t sendQueue = 0;    ///< bytes (a TCP listener: its backlog)
    std::optional<std::uint32_t> receiveBuffer; ///< SO_RCVBUF (skmeminfo); unset when not told
    std::optional<std::uint32_t> sendBuffer;    ///< SO_SNDBUF
    std::uint64_t peerInode = 0;                ///< Unix: the connected peer's inode, 0 if none
    std::uint32_t uid = 0;                      ///< owner of the socket (inet only)
};

/// Which families to dump; every one by default.
struct SockDiagFamilies {
    bool tcp = true;
    bool udp = true;
    bool unixSockets = true;
    /// TCP of both address families in one dump (inet_diag's first request); false: one dump
    /// per family, as where a kernel refuses that request.
    bool tcpInOneDump = true;
};

/// What the kernel listed, in inode order. Sockets without an inode (TIME_WAIT, request
/// sockets) belong to no descriptor and are left out.
struct KernelSockets {
    /// One per inode, ordered by it (see order()): a map of the machine joins 10 000s of them
    /// with descriptors, and a vector walks and searches without a cache miss per node.
    std::vector<KernelSocket> sockets;
    /// One sentence per dump that could not be read; the others are still listed.
    std::vector<std::string> problems;

    const KernelSocket* find(std::uint64_t inode) const;
    /// Whether the kernel still lists this socket (alive, with or without a descriptor). The
    /// TCP and UDP lists hold bound or connected sockets only: a fresh, never bound one is
    /// alive but not listed. Every Unix socket is listed.
    bool lists(std::uint64_t inode) const { return find(inode) != nullptr; }
    /// Puts `sockets` added in any order in inode order, keeping the last one added of an
    /// inode listed twice (a socket that changed state during a dump can be listed twice).
    void order();
};

/// Dumps the chosen families. Never throws for what the kernel says: a failing dump becomes a
/// sentence in `problems`.
KernelSockets readKernelSockets(const SockDiagFamilies& families = {});

/// The name ss(8) and netstat use for a TCP state number ("ESTABLISHED", "LISTEN", ...).
std::string tcpStateName(std::uint8_t state);

} // namespace socklens::sysmap
