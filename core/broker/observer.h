// The broker's observation: what one observation reads (a command's sockets, a tick's slice, or
// everything), asking every helper before awaiting any; journaling the options, owners and
// counts that changed; and the passage of time (ticks in slices, pump, waitUntil). Counts come
// from each kernel's backend. See docs/architecture.md, "When".
#pragma once

#include "broker/broker_session.h"
#include "broker/helper_set.h"
#include "broker/kernel_backend.h"

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <vector>

namespace socklens::broker {

class Observer {
public:
    Observer(BrokerSession& session, HelperSet& helpers, KernelBackends& backends,
             ReplyReadings& readInReplies, std::chrono::milliseconds tickInterval);

    /// With a focus (after a command): every descriptor of those sockets, and the fd tables
    /// of the processes that hold them; a descriptor the command's replies read already is
    /// not asked for again. Without: a whole tick at once.
    void observe(const std::set<SocketId>& focus = {});
    /// Every descriptor and every fd table, whatever the session's size.
    void observeAll();
    void addListener(std::function<void()> listener);

    /// Handles helper messages and runs ticks for `duration`, or until the wake fd is readable.
    void pump(std::chrono::milliseconds duration);
    /// Pumps until `condition` holds for the state, or `bound` passes. Returns whether it held.
    bool waitUntil(const std::function<bool(const State&)>& condition,
                   std::chrono::milliseconds bound);
    void setTickInterval(std::chrono::milliseconds interval);

private:
    /// What one observation reads.
    struct Plan {
        std::set<SocketId> focus; ///< every descriptor of these sockets
        /// How many other descriptors each asked helper reads, in turn; 0: the focus only.
        std::size_t slice = 0;
        /// Which helpers that read in turn are asked: every `stride`-th from `offset`.
        std::size_t stride = 1;
        std::size_t offset = 0;
        std::size_t scanBudget = 0; ///< fd-table entries read in turn (ProcFdCounts)
    };
    void observe(const Plan& plan);
    /// The tick's next slice: a share of the helpers, and every process's descriptor count.
    void observeTickSlice();
    std::size_t shareOfObserveBudget() const;
    std::chrono::milliseconds tickSliceInterval() const;
    /// One helper's question, awaited after the backends counted, and what its replies to the
    /// command read already.
    struct Asked {
        ProcessId process;
        KernelBackend* backend;
        std::optional<std::uint32_t> requestId; ///< nullopt: not asked, read in replies only
        std::vector<std::int64_t> handles;      ///< sorted; empty: all of them
        std::vector<protocol::DescriptorObservation> readInReplies;
    };
    std::vector<Asked> askHelpers(const Plan& plan);
    /// Awaits and applies the answers. Returns who answered, by backend.
    std::map<KernelBackend*, std::set<ProcessId>> applyAnswers(const std::vector<Asked>& asked);
    /// What one helper is asked to read: every descriptor of the focus sockets, and the next
    /// ones in turn up to the plan's slice; empty: all of them; nullopt: nothing.
    std::optional<std::vector<std::int64_t>> handlesToObserve(ProcessId process, const Plan& plan);
    void apply(ProcessId process, KernelBackend& backend, const protocol::ObservationReply& reply,
               const std::vector<std::int64_t>& asked, const std::string& command);
    void journalOptions(const DescriptorRef& ref, const DescriptorState& descriptor,
                        const std::vector<OptionReading>& read);
    void journalOwner(SocketId socket, const DescriptorRef& ref, std::int64_t ownerPid);
    void pumpUntil(std::chrono::steady_clock::time_point deadline, bool interruptible);

    BrokerSession& session_;
    HelperSet& helpers_;
    KernelBackends& backends_;
    ReplyReadings& readInReplies_;
    std::chrono::milliseconds tickInterval_;
    std::map<ProcessId, Handle> cursor_; ///< where each helper's next slice begins
    std::vector<std::function<void()>> listeners_;
    std::chrono::steady_clock::time_point nextTick_; ///< of the next tick slice
    std::size_t tickSlice_ = 0;
};

} // namespace socklens::broker
