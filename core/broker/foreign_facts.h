// What the session records of an attached (foreign) process, made from what /proc and
// sock_diag gave: a socket's description in the helpers' vocabulary, a descriptor's flags and
// queues, and the sentence saying what cannot be read of the process and why.
#pragma once

#include "model/journal_entry.h"
#include "protocol/messages.h"
#include "sysmap/machine_map.h"

#include <cstdint>
#include <string>

namespace socklens::broker {

/// The socket as a helper would describe it ("TCP listener", addresses, TCP state); `socket`
/// null: the kernel's TCP/UDP/Unix lists lack it (a netlink socket, a TCP socket never bound).
protocol::SocketDescription describeForeignSocket(std::uint64_t inode,
                                                  const sysmap::MapSocket* socket);

/// A socket of the kernel's lists as a helper would describe it.
protocol::SocketDescription describeKernelSocket(const sysmap::KernelSocket& kernel);

/// Flags, epoll interest registered through `fd` by `process`, and the socket's queues.
entry::DescriptorObserved observeForeignDescriptor(const DescriptorRef& ref,
                                                   const sysmap::SocketDescriptor& descriptor,
                                                   const sysmap::ProcessReading& process,
                                                   const sysmap::MapSocket* socket);

/// Equal in everything the OS gave (the ref aside).
bool sameReading(const entry::DescriptorObserved& a, const entry::DescriptorObserved& b);

/// What cannot be read of `pid` and why, in a sentence; `unreadable`: why its descriptor
/// table could not be read, if it could not.
std::string foreignLimits(std::int64_t pid, const std::string* unreadable);

/// Why a deep read (pidfd_getfd) of `pid` is not permitted, or "" when it is: ptrace_scope
/// (Yama) and the process's owner decide.
std::string deepReadForbidden(std::int64_t pid);

} // namespace socklens::broker
