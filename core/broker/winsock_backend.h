// Winsock under Wine: helpers are `wine socklens-helper.exe`; a socket is named by its lineage
// (the broker's own identity, inherited by every copy); a descriptor reaches another process
// by WSADuplicateSocket + WSASocket(FROM_PROTOCOL_INFO); counts are the HandleCount the
// helpers read from the object manager. The handoff steps live in winsock_duplication.cpp.
#pragma once

#include "broker/kernel_backend.h"
#include "broker/wine_environment.h"
#include "broker/winsock_holders.h"
#include "broker/winsock_lineage.h"

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <vector>

namespace socklens::broker {

class WinsockBackend final : public KernelBackend {
public:
    explicit WinsockBackend(BackendContext context)
        : context_(std::move(context))
        , holders_(context_) {}

    Platform platform() const override { return Platform::WinsockWine; }
    std::string startCommand(const std::string& name) const override;
    /// Prepares Wine the first time (the long wait is announced in the journal first).
    std::unique_ptr<HelperConnection> startHelper() override;

    /// A new socket gets a fresh lineage; a copy inherits its source's.
    std::uint64_t adopt(const DescriptorRef& descriptor,
                        const protocol::DescriptorDescription& described,
                        std::optional<std::uint64_t> copyOf) override;
    std::uint64_t identityOf(const DescriptorRef& descriptor, std::uint64_t) const override {
        return lineage_.identityOf(descriptor).value_or(0);
    }

    RegistrationMechanism defaultRegistration() const override {
        return RegistrationMechanism::WsaEventSelect;
    }
    DuplicationMechanism duplicationMechanism() const override {
        return DuplicationMechanism::WsaDuplicateSocket;
    }
    /// Steps 1-8 between two Winsock helpers (C1, C9, C11).
    DescriptorRef duplicateAcross(DuplicationId id, const DescriptorRef& source, ProcessId target,
                                  const std::string& command) override;
    std::string inProcessCopyText(std::int64_t copy) const override;

    /// Winsock helpers are few and always read every handle: their replies are also the
    /// handle counts, which need every holder's answer.
    bool readsEveryHandle() const override { return true; }
    void beforeReadings(const std::set<SocketId>&, std::size_t) override { readings_ = {}; }
    void reading(const DescriptorRef& descriptor, SocketId socket,
                 const protocol::DescriptorObservation& seen) override;
    void afterReadings(const std::set<ProcessId>& answered) override;

    /// The Windows processes of the prefix, read by a running Winsock helper (winsock_attach.cpp).
    /// Throws BrokerError when none runs.
    std::vector<protocol::ListedProcess> windowsProcesses(const std::string& command);
    /// Attaches read-only to the Windows process `windowsPid` of the prefix: its socket handles,
    /// read through copies in a helper that are closed at once, join the session, and are read
    /// again as the session goes on. Throws BrokerError ("no-such-process", "already-in-session",
    /// "no-reader" when no Winsock helper runs to read the prefix).
    ProcessId attach(std::int64_t windowsPid, const std::string& command);

    /// WSADuplicateSocket(source, pid) for a process id no helper stands for (C12).
    std::vector<std::uint8_t> duplicateForPid(const DescriptorRef& source, OsPid pid);
    /// The protocol info that made `duplicated`, offered again: always refused (C8).
    [[noreturn]] void reuseProtocolInfo(const DescriptorRef& duplicated);

private:
    /// A duplication's protocol info, kept so a second use can be refused (C8).
    struct ProtocolInfoUse {
        std::vector<std::uint8_t> bytes;
        DescriptorRef result; ///< the descriptor its one use made
        std::uint32_t wsaFlags = 0;
    };
    /// What the helpers reported in one observation.
    struct Readings {
        std::map<SocketId, std::vector<entry::Holder>> holders;
        std::map<SocketId, std::uint32_t> handleCounts;
    };

    /// The protocol info of a ProtocolInfoReply, checked.
    std::vector<std::uint8_t> protocolInfoOf(ProcessId process,
                                             const platform::ReceivedFrame& reply,
                                             const std::string& command);
    void journalVanished(const std::set<ProcessId>& answered);
    /// The sockets whose holders are searched for in the system handle table.
    std::set<SocketId> toSearch() const;
    /// Reads the socket handles of the attached Windows process `pid` and journals those new
    /// to the session; the process ends when the prefix no longer lists it.
    void readAttached(std::int64_t pid, const std::string& command);
    /// Every attached process again, at most once per kAttachedReadInterval.
    void readAttachedAgain();

    BackendContext context_;
    WinsockHolders holders_;
    WinsockLineage lineage_;
    std::map<DuplicationId, ProtocolInfoUse> protocolInfos_;
    std::optional<WineEnvironment> wine_; ///< found and prepared at the first Winsock helper
    Readings readings_;
    std::map<std::int64_t, ProcessId> attached_; ///< attached Windows processes, by Windows pid
    std::chrono::steady_clock::time_point nextAttachedRead_;
};

} // namespace socklens::broker
