#include "broker/foreign_facts.h"

#include "sysmap/process_reading.h"

#include <fstream>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace socklens::broker {

namespace {

struct KindNumbers {
    SocketKindSeen kind; ///< in the helpers' vocabulary
    int family;
    int type;
    int protocol;
};

KindNumbers numbersOf(const sysmap::KernelSocket& socket) {
    const std::string& kind = socket.kind;
    const bool inet6 = kind.ends_with('6');
    const int inetFamily = inet6 ? AF_INET6 : AF_INET;
    if (kind.starts_with("tcp")) {
        const SocketKindSeen seen = socket.state == "LISTEN" ? SocketKindSeen::TcpListener
                                    : socket.peer.empty()    ? SocketKindSeen::Tcp
                                                             : SocketKindSeen::TcpConnected;
        return {seen, inetFamily, SOCK_STREAM, IPPROTO_TCP};
    }
    if (kind.starts_with("udp"))
        return {SocketKindSeen::Udp, inetFamily, SOCK_DGRAM, IPPROTO_UDP};
    if (kind == "unix-stream")
        return {SocketKindSeen::UnixStream, AF_UNIX, SOCK_STREAM, 0};
    if (kind == "unix-dgram")
        return {SocketKindSeen::UnixDatagram, AF_UNIX, SOCK_DGRAM, 0};
    if (kind == "unix-seqpacket")
        return {SocketKindSeen::UnixSeqpacket, AF_UNIX, SOCK_SEQPACKET, 0};
    return {SocketKindSeen::Other, 0, 0, 0};
}

std::string epollText(const sysmap::SocketDescriptor& descriptor,
                      const sysmap::ProcessReading& process) {
    std::string text;
    for (const sysmap::EpollRegistration& registration : process.registrations) {
        const sysmap::EpollInterest& interest = registration.interest;
        if (interest.inode != descriptor.inode || interest.targetFd != descriptor.fd)
            continue;
        std::string wants;
        if (interest.read())
            wants = "read";
        if (interest.write())
            wants += wants.empty() ? "write" : ", write";
        if (wants.empty())
            wants = "neither read nor write";
        text += (text.empty() ? "" : "; ") + std::string("epoll fd ") +
                std::to_string(registration.epollFd) + ": " + wants;
    }
    return text;
}

int ptraceScope() {
    std::ifstream file("/proc/sys/kernel/yama/ptrace_scope");
    int scope = 0; // no Yama: classic ptrace rules
    file >> scope;
    return scope;
}

bool descendsFromUs(std::int64_t pid) {
    const std::int64_t self = ::getpid();
    for (int depth = 0; pid > 1 && depth < 64; ++depth) {
        const auto identity = sysmap::readProcessIdentity(pid);
        if (!identity)
            return false;
        if (identity->parentPid == self)
            return true;
        pid = identity->parentPid;
    }
    return false;
}

} // namespace

protocol::SocketDescription describeForeignSocket(std::uint64_t inode,
                                                  const sysmap::MapSocket* socket) {
    if (!socket || !socket->listedByKernel) {
        protocol::SocketDescription unlisted; // SocketKindSeen::Other without numbers
        unlisted.identity = inode;
        return unlisted;
    }
    return describeKernelSocket(socket->kernel);
}

protocol::SocketDescription describeKernelSocket(const sysmap::KernelSocket& kernel) {
    protocol::SocketDescription described;
    described.identity = kernel.inode;
    const KindNumbers numbers = numbersOf(kernel);
    described.kind = numbers.kind;
    described.family = numbers.family;
    described.type = numbers.type;
    described.protocol = numbers.protocol;
    described.local = kernel.local;
    described.peer = kernel.peer;
    if (described.peer.empty() && kernel.peerInode != 0)
        described.peer = "socket:[" + std::to_string(kernel.peerInode) + "]";
    if (numbers.protocol == IPPROTO_TCP)
        described.tcpState = kernel.state;
    return described;
}

entry::DescriptorObserved observeForeignDescriptor(const DescriptorRef& ref,
                                                   const sysmap::SocketDescriptor& descriptor,
                                                   const sysmap::ProcessReading& process,
                                                   const sysmap::MapSocket* socket) {
    entry::DescriptorObserved observed;
    observed.descriptor = ref;
    observed.closeOnExec = descriptor.flags.closeOnExec;
    observed.nonBlocking = descriptor.flags.nonBlocking;
    observed.async = descriptor.flags.async;
    observed.epoll = epollText(descriptor, process);
    if (socket) {
        observed.receiveQueue = socket->kernel.receiveQueue;
        observed.sendQueue = socket->kernel.sendQueue;
    }
    return observed;
}

bool sameReading(const entry::DescriptorObserved& a, const entry::DescriptorObserved& b) {
    return a.closeOnExec == b.closeOnExec && a.nonBlocking == b.nonBlocking && a.async == b.async &&
           a.epoll == b.epoll && a.receiveQueue == b.receiveQueue && a.sendQueue == b.sendQueue;
}

std::string deepReadForbidden(std::int64_t pid) {
    const int scope = ptraceScope();
    if (scope >= 3)
        return "ptrace_scope is 3: no process may ptrace another, so pidfd_getfd is refused";
    if (::geteuid() == 0)
        return "";
    struct stat status {};
    if (::stat(("/proc/" + std::to_string(pid)).c_str(), &status) != 0)
        return "the process is gone";
    if (status.st_uid != ::geteuid())
        return "it belongs to uid " + std::to_string(status.st_uid) +
               ", and only root (CAP_SYS_PTRACE) may copy another user's descriptors";
    if (scope == 2)
        return "ptrace_scope is 2: only root (CAP_SYS_PTRACE) may ptrace, so pidfd_getfd is "
               "refused";
    if (scope == 1 && !descendsFromUs(pid))
        return "ptrace_scope is 1: only a process's ancestors may ptrace it, and socklens did "
               "not start this one";
    return "";
}

std::string foreignLimits(std::int64_t pid, const std::string* unreadable) {
    if (unreadable)
        return "its descriptors cannot be listed: " + *unreadable +
               ". Its name, parent and command line are still read from /proc/" +
               std::to_string(pid) +
               ", and the kernel's socket list (sock_diag) still has its "
               "sockets, but without the descriptor table nobody can tell which are its";
    const std::string forbidden = deepReadForbidden(pid);
    return "options other than SO_RCVBUF and SO_SNDBUF, and the F_GETOWN_EX owner, need a deep "
           "read (a pidfd_getfd copy of the descriptor), made only when asked" +
           (forbidden.empty() ? std::string(" (permitted here)")
                              : "; it is not permitted here: " + forbidden);
}

} // namespace socklens::broker
