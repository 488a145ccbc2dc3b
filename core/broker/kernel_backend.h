// One backend per kernel whose sockets the broker inspects: how its helpers start, what names
// a socket (identity), how a descriptor reaches another process (duplicate), and where a
// socket's count comes from. Chosen once per platform by KernelBackends (a factory), so no
// shared code branches on the platform. See docs/architecture.md, "Backends".
#pragma once

#include "broker/broker_session.h"
#include "broker/helper_connection.h"
#include "broker/helper_set.h"
#include "broker/reply_readings.h"

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace socklens::broker {

struct BrokerOptions;

/// What a backend may use of the broker.
struct BackendContext {
    BrokerSession& session;
    HelperSet& helpers;
    const BrokerOptions& options;
    /// Where a command leaves the readings its replies brought, for its observation.
    ReplyReadings& readInReplies;
    /// Observes now (a whole tick's worth), as a command does when it ends.
    std::function<void()> observe;
};

class KernelBackend {
public:
    virtual ~KernelBackend() = default;
    virtual Platform platform() const = 0;

    // ---- its helpers
    /// The start command as the journal names it.
    virtual std::string startCommand(const std::string& name) const = 0;
    /// Starts one helper of this kernel. Throws BrokerError.
    virtual std::unique_ptr<HelperConnection> startHelper() = 0;

    // ---- identity
    /// The identity of a descriptor its helper reports for the first time; `copyOf`: it is
    /// another descriptor of the socket with that identity.
    virtual std::uint64_t adopt(const DescriptorRef& descriptor,
                                const protocol::DescriptorDescription& described,
                                std::optional<std::uint64_t> copyOf) = 0;
    /// The identity behind a known descriptor, given what its helper reported; 0: unknown.
    virtual std::uint64_t identityOf(const DescriptorRef& descriptor,
                                     std::uint64_t reported) const = 0;

    // ---- commands
    virtual RegistrationMechanism defaultRegistration() const = 0;
    virtual DuplicationMechanism duplicationMechanism() const = 0;
    /// Steps 1-8 of duplicating `source` into `target`, another process of this kernel.
    /// Throws BrokerError.
    virtual DescriptorRef duplicateAcross(DuplicationId id, const DescriptorRef& source,
                                          ProcessId target, const std::string& command) = 0;
    /// Step 8's text for a copy made inside the same process.
    virtual std::string inProcessCopyText(std::int64_t copy) const = 0;

    // ---- observation: the count source
    /// Whether its helpers read every handle at every observation (their answers are the
    /// counts) instead of a share in turn.
    virtual bool readsEveryHandle() const = 0;
    /// Before the helpers are asked: counts from outside the helpers (Linux: /proc).
    /// `focus`: the sockets a command touched; `scanBudget`: fd-table entries read in turn.
    virtual void beforeReadings(const std::set<SocketId>& focus, std::size_t scanBudget) = 0;
    /// One descriptor its helper read, known as `socket`.
    virtual void reading(const DescriptorRef& /*descriptor*/, SocketId /*socket*/,
                         const protocol::DescriptorObservation& /*seen*/) {}
    /// Its helper `process` could no longer read some descriptors (closed behind its back).
    virtual void unreadable(ProcessId /*process*/) {}
    /// After its helpers in `answered` answered.
    virtual void afterReadings(const std::set<ProcessId>& /*answered*/) {}
};

class WinsockBackend;
class ForeignBackend;

/// The backends of a session, each made the first time a process of its kernel needs it.
class KernelBackends {
public:
    explicit KernelBackends(BackendContext context);
    ~KernelBackends();

    KernelBackend& of(Platform platform);
    /// The backend of the kernel `process` runs on; an attached process's is the foreign one.
    KernelBackend& forProcess(ProcessId process);
    /// The backends made so far (Linux always: its count source covers every process); the
    /// foreign one first, so its processes' descriptors are journaled before they are counted.
    std::vector<KernelBackend*> active();
    /// Winsock-only commands (WSADuplicateSocket towards a pid, reusing protocol info).
    WinsockBackend& winsock();
    /// Processes attached read-only, made at the first attach (issue 10).
    ForeignBackend& foreign();

private:
    BackendContext context_;
    std::map<Platform, std::unique_ptr<KernelBackend>> backends_;
    std::unique_ptr<ForeignBackend> foreign_;
};

} // namespace socklens::broker
