// The session's helpers: their control channels, the requests sent to them with deadlines
// both ways, every reply checked against what was asked, and their lifecycle (joined by a
// Hello, dropped with a reason, reaped). Knows nothing of kernels: a backend
// (kernel_backend.h) says how to start a helper and what its descriptors mean.
#pragma once

#include "broker/broker_session.h"
#include "broker/helper_connection.h"
#include "broker/unsolicited_budget.h"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace socklens::broker {

class HelperSet {
public:
    /// Journals one event of `process`; returns a fault (the helper is dropped for it) when
    /// the event cannot be true.
    using EventHandler =
        std::function<std::optional<std::string>(ProcessId, const protocol::NetworkEvent&)>;

    HelperSet(BrokerSession& session, std::chrono::milliseconds commandTimeout);
    ~HelperSet();
    HelperSet(const HelperSet&) = delete;
    HelperSet& operator=(const HelperSet&) = delete;

    void onEvent(EventHandler handler) { eventHandler_ = std::move(handler); }
    void setCommandTimeout(std::chrono::milliseconds timeout) { commandTimeout_ = timeout; }

    /// Makes `connection` one of the session's helpers: asks for its Hello and checks that it
    /// is a helper of `platform` and, for a Linux helper, that the pid it claims is the
    /// kernel's. Journals ProcessStarted. Throws BrokerError (the helper ended) otherwise.
    ProcessId introduce(std::unique_ptr<HelperConnection> connection, const std::string& name,
                        Platform platform);

    bool contains(ProcessId process) const { return helpers_.contains(process); }
    std::vector<ProcessId> ids() const;
    std::size_t size() const { return helpers_.size(); }
    /// Throws BrokerError when the helper is not running any more.
    /// The helper's channel; a command for an ended or unknown process fails (journaled,
    /// with the code helper-gone or no-such-process).
    HelperConnection& connection(ProcessId process, const std::string& command);

    /// Sends a request and waits (bounded) for its reply, journaling unsolicited messages
    /// meanwhile. The reply has the type and descriptor count the request calls for; a
    /// Failure, a timeout, a bad frame, a reply of another shape or the helper's end throws.
    /// `allowance`: how much longer than the command timeout the reply may take.
    platform::ReceivedFrame request(ProcessId process, protocol::Message message,
                                    const std::string& command, std::span<const int> fds = {},
                                    std::chrono::milliseconds allowance = {});
    /// The two halves of request(), for asking several helpers before awaiting any.
    std::uint32_t send(ProcessId process, protocol::Message message, const std::string& command,
                       std::span<const int> fds = {});
    platform::ReceivedFrame await(ProcessId process, std::uint32_t requestId,
                                  const std::string& command,
                                  std::chrono::milliseconds allowance = {});
    /// Reads and drops the reply to a request sent with send() whose command failed before
    /// awaiting it, so that the helper's next reply is not taken for it. Journals nothing but
    /// the helper's end, where it does not answer in time.
    void settle(ProcessId process, std::uint32_t requestId);
    /// Ends a helper whose reply broke the protocol: journals the fault, naming the helper,
    /// and throws it as the command's failure.
    [[noreturn]] void refuse(ProcessId process, const std::string& command,
                             const std::string& fault);
    /// Ends a helper's session: kills it if we spawned it and `killFirst`, reaps it, journals
    /// why. A helper we attached to is disconnected, not killed.
    void drop(ProcessId process, const std::string& why, bool killFirst);

    /// Waits up to `timeout` for helper messages; returns the reply to (`awaited`,
    /// `requestId`) if it came. `interruptible`: the wake fd ends the wait too. `spin`: how
    /// long to look without sleeping first (a reply expected within it comes sooner so).
    std::optional<platform::ReceivedFrame> dispatch(std::chrono::milliseconds timeout,
                                                    ProcessId awaited, std::uint32_t requestId,
                                                    bool interruptible,
                                                    std::chrono::microseconds spin = {});
    void setWakeFd(int fd) { wakeFd_ = fd; }
    /// Whether the last dispatch() ended because the wake fd became readable.
    bool woken() const { return woken_; }

private:
    struct Pending {
        std::uint32_t id = 0;
        protocol::MessageType request{};
        std::chrono::steady_clock::time_point sent;
    };
    struct Helper {
        std::unique_ptr<HelperConnection> connection;
        std::optional<Pending> pending; ///< the one request a helper may have open
        /// Its reply, when it came while another helper's reply was awaited.
        std::optional<platform::ReceivedFrame> arrived;
        UnsolicitedBudget budget;
        /// How long its last request of each kind took to be answered, sent to taken.
        std::map<protocol::MessageType, std::chrono::steady_clock::duration> answeredIn;
    };

    /// Takes in what `process` sent; the reply awaited goes to `reply`.
    void readFrom(ProcessId process, ProcessId awaited, std::uint32_t requestId,
                  std::optional<platform::ReceivedFrame>& reply);
    /// What is wrong with `frame` as the reply to `pending`, if anything.
    std::optional<std::string> misfit(const Pending& pending,
                                      const platform::ReceivedFrame& frame) const;
    /// Whether one more unasked entry of `helper` may be journaled (saying so when not).
    bool admit(ProcessId process, Helper& helper);
    /// How long to spin for `helper`'s reply to `pending`: only where its requests of that kind
    /// were last answered within the spin (an option read, an export), not where they take
    /// milliseconds (a reading of 256 descriptors, a helper under Wine).
    static std::chrono::microseconds replySpin(const Helper& helper, const Pending& pending);

    BrokerSession& session_;
    std::chrono::milliseconds commandTimeout_;
    std::map<ProcessId, Helper> helpers_;
    /// Why helpers that ended before they joined the session (before Hello's answer) ended.
    std::map<ProcessId, std::string> startFailures_;
    EventHandler eventHandler_;
    int wakeFd_ = -1;
    bool woken_ = false;
};

} // namespace socklens::broker
