// The Linux kernel: helpers are socklens-helper processes; a socket is named by its inode
// (socket:[N]); a descriptor reaches another process by SCM_RIGHTS through the broker; counts
// come from the /proc fd tables (ProcFdCounts).
#pragma once

#include "broker/kernel_backend.h"
#include "broker/proc_fd_counts.h"
#include "platform/posix/unique_fd.h"

namespace socklens::broker {

/// Steps 6-8 of a duplication into a Linux helper: the broker's `transient` descriptor of the
/// duplication's socket goes to `target` by SCM_RIGHTS and is closed at once. Returns the
/// target's new descriptor. Throws BrokerError.
DescriptorRef passToHelper(const BackendContext& context, KernelBackend& backend, DuplicationId id,
                           platform::UniqueFd transient, ProcessId target,
                           const std::string& command);

class LinuxBackend final : public KernelBackend {
public:
    explicit LinuxBackend(BackendContext context);

    Platform platform() const override { return Platform::Linux; }
    std::string startCommand(const std::string& name) const override;
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
    DescriptorRef duplicateAcross(DuplicationId id, const DescriptorRef& source, ProcessId target,
                                  const std::string& command) override;
    std::string inProcessCopyText(std::int64_t copy) const override;

    bool readsEveryHandle() const override { return false; }
    void beforeReadings(const std::set<SocketId>& focus, std::size_t scanBudget) override {
        counts_.observe(focus, scanBudget);
    }
    void unreadable(ProcessId process) override;

private:
    BackendContext context_;
    ProcFdCounts counts_;
};

} // namespace socklens::broker
