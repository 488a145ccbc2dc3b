// Processes the user did not start, read only (issue 10): a peer of the Linux and Winsock
// helper backends. Its processes join by pid, by process tree or by socket (port, inode); at
// every observation their descriptors are read from /proc (sysmap::readProcess) and their
// sockets from sock_diag, and what changed is journaled: descriptors appearing and going, with
// flags, epoll interest and queues, SO_RCVBUF/SO_SNDBUF, and how a descriptor of a socket seen
// before most likely arrived (sysmap::diffMaps). Nothing is injected and no descriptor copied.
#pragma once

#include "broker/attach_target.h"
#include "broker/kernel_backend.h"
#include "sysmap/map_changes.h"

#include <chrono>
#include <map>
#include <sys/types.h>

namespace socklens::broker {

class ForeignBackend final : public KernelBackend {
public:
    /// `counts`: the backend whose count source counts every process's holders (Linux).
    ForeignBackend(BackendContext context, KernelBackend& counts);

    /// Joins the processes `target` selects now (and, when it is followed, later), reads them
    /// and journals what they hold. Throws BrokerError: "no-such-process" for a pid that is
    /// not running, "invalid-target" for a port or pid out of range.
    std::vector<ProcessId> attach(const AttachTarget& target, const std::string& command);
    /// The deep read (foreign_copies.cpp): every option and the F_GETOWN_EX owner of each
    /// socket descriptor of `process`, through a pidfd_getfd copy closed at once. Throws
    /// BrokerError ("EPERM" when ptrace_scope or the owner forbid it).
    void deepRead(ProcessId process, const std::string& command);

    Platform platform() const override { return Platform::Linux; }
    std::string startCommand(const std::string& name) const override { return "attach " + name; }
    std::unique_ptr<HelperConnection> startHelper() override;
    std::uint64_t adopt(const DescriptorRef&, const protocol::DescriptorDescription& described,
                        std::optional<std::uint64_t>) override {
        return described.socket.identity;
    }
    std::uint64_t identityOf(const DescriptorRef&, std::uint64_t reported) const override {
        return reported;
    }
    RegistrationMechanism defaultRegistration() const override {
        return RegistrationMechanism::FcntlSetOwn;
    }
    DuplicationMechanism duplicationMechanism() const override {
        return DuplicationMechanism::ScmRights;
    }
    /// A pidfd_getfd copy passed on to a Linux helper by SCM_RIGHTS (foreign_copies.cpp);
    /// refused with EPERM when ptrace_scope or the owner forbid the copy.
    DescriptorRef duplicateAcross(DuplicationId id, const DescriptorRef& source, ProcessId target,
                                  const std::string& command) override;
    std::string inProcessCopyText(std::int64_t) const override { return {}; }
    bool readsEveryHandle() const override { return false; }
    /// Reads the attached processes again (at most once per tick), and looks for the new
    /// processes followed targets select (at most every half second).
    void beforeReadings(const std::set<SocketId>& focus, std::size_t scanBudget) override;

private:
    /// Fails `command`: with the OS's error when no process has `pid`, else saying /proc
    /// cannot be read.
    [[noreturn]] void failUnreadable(pid_t pid, const std::string& command);

    struct Attached {
        std::uint64_t startTime = 0; ///< a reused pid is another process
        ProcessId id;                ///< invalid until it joined
        std::string how;
        std::string limits;
        /// Found by a followed target after its first reading: a new process, so a descriptor
        /// it holds has a provenance to tell.
        bool news = false;
    };
    /// Adds the processes `target` selects now; returns their pids.
    std::vector<std::int64_t> select(const AttachTarget& target, bool news);
    void discover();
    void read();
    /// Journals the process joining (or its limits changing).
    ProcessId join(std::int64_t pid, Attached& attached, const sysmap::ProcessIdentity& identity,
                   const std::string& limits);
    void journalDescriptors(ProcessId process, const sysmap::ProcessReading& reading,
                            const sysmap::MachineMap& map,
                            const std::vector<sysmap::MapChange>& gained,
                            std::set<SocketId>& changed);
    void journalBuffers(const DescriptorRef& ref, const sysmap::MapSocket& socket);

    BackendContext context_;
    KernelBackend& counts_;
    std::vector<AttachTarget> targets_;
    std::map<std::int64_t, Attached> attached_; ///< by pid
    sysmap::MachineMap previous_;               ///< the attached processes' last reading
    bool readBefore_ = false;
    std::chrono::steady_clock::time_point nextRead_;
    std::chrono::steady_clock::time_point nextDiscovery_;
};

} // namespace socklens::broker
