// What selects the processes a session attaches to read-only (issue 10): one pid, a pid and
// its descendants (new children join as they appear), or every process holding a socket
// bound or connected to a port, or the socket with an inode; or, under Wine, one Windows
// process of the prefix by its Windows pid (winsock_attach.cpp).
#pragma once

#include <cstdint>
#include <string>

namespace socklens::broker {

struct AttachTarget {
    enum class Kind { Pid, Tree, Port, Inode, WindowsPid };
    Kind kind = Kind::Pid;
    std::uint64_t value = 0; ///< the pid, port, inode or Windows pid

    /// "pid 4242", "tree of pid 4242", "port 8080", "inode 123", "Windows pid 96 (Wine)", as
    /// the journal names it.
    std::string text() const;
    /// Whether the target is followed: new processes it selects later join too.
    bool followed() const { return kind != Kind::Pid && kind != Kind::WindowsPid; }
};

} // namespace socklens::broker
