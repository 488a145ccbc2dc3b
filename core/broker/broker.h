// Runs commands against helper processes, duplicates descriptors between them with the OS's
// own mechanism, and observes the OS after every command and on a steady tick. Everything it
// does and sees goes into the journal; its own view of the session is the fold of that.
//
// Single-threaded: call it from one thread (the CLI's main thread, the app's engine thread).
#pragma once

#include "broker/broker_error.h"
#include "model/journal.h"
#include "model/state.h"
#include "platform/posix/fd_channel.h"
#include "protocol/messages.h"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace socklens::broker {

struct BrokerOptions {
    std::string helperPath; ///< empty: socklens-helper next to the running executable
    std::chrono::milliseconds commandTimeout{3000};
    std::chrono::milliseconds tickInterval{100}; ///< 10 Hz
    std::chrono::milliseconds receiveWait{1000}; ///< how long a receive waits for data
};

class HelperConnection;

class Broker {
public:
    explicit Broker(BrokerOptions options = {});
    ~Broker();
    Broker(const Broker&) = delete;
    Broker& operator=(const Broker&) = delete;

    ProcessId spawnHelper(const std::string& name);
    /// A helper started by hand with `socklens-helper --listen`; refused unless it runs as
    /// our user (SO_PEERCRED).
    ProcessId attachHelper(const std::string& socketPath, const std::string& name);

    std::vector<DescriptorRef> createSocket(ProcessId process, SocketKind kind);
    /// Another descriptor for the same socket in `target` (SCM_RIGHTS; dup() if the same).
    DescriptorRef duplicate(const DescriptorRef& source, ProcessId target);
    /// Duplicate, then close in the source.
    DescriptorRef handOff(const DescriptorRef& source, ProcessId target);
    /// Returns the value read back through the same descriptor (the effective value).
    std::int64_t setOption(const DescriptorRef& descriptor, SocketOption option,
                           std::int64_t value);
    std::int64_t getOption(const DescriptorRef& descriptor, SocketOption option);
    void registerEvents(const DescriptorRef& descriptor, EventMask mask);
    /// `fromSecondThread`: the helper sends from another thread, same descriptor (C2).
    std::size_t send(const DescriptorRef& descriptor, const std::string& bytes,
                     bool fromSecondThread = false);
    std::string receive(const DescriptorRef& descriptor, std::size_t maxBytes);
    void close(const DescriptorRef& descriptor);
    /// SIGKILL, as `kill -9` would.
    void killHelper(ProcessId process);

    /// Reads counts, options and registration owners from the OS now and journals changes.
    void observe();
    /// Handles helper messages and runs ticks for `duration`, or until the wake fd becomes
    /// readable.
    void pump(std::chrono::milliseconds duration);
    /// A descriptor that ends pump() early when it becomes readable (an eventfd the GUI's
    /// engine thread signals when a command arrives). The broker never reads it.
    void setWakeFd(int fd) { wakeFd_ = fd; }
    void setTickInterval(std::chrono::milliseconds interval);
    /// Pumps until `condition` holds for the state, or `bound` passes. Returns whether it held.
    bool waitUntil(const std::function<bool(const State&)>& condition,
                   std::chrono::milliseconds bound);

    const State& state() const { return state_; }
    Journal& journal() { return journal_; }
    const BrokerOptions& options() const { return options_; }
    std::vector<ProcessId> helpers() const;

private:
    HelperConnection& helper(ProcessId process);
    DescriptorRef duplicate(const DescriptorRef& source, ProcessId target, bool handOff);
    /// Sends a request and waits (bounded) for its reply, journaling unsolicited messages
    /// meanwhile. A Failure reply, a timeout, a bad frame or the helper's death throws.
    platform::ReceivedFrame request(ProcessId process, protocol::Message message,
                                    const std::string& command, std::span<const int> fds = {});
    std::uint32_t sendRequest(ProcessId process, protocol::Message message,
                              const std::string& command, std::span<const int> fds);
    platform::ReceivedFrame awaitReply(ProcessId process, std::uint32_t requestId,
                                       const std::string& command);
    /// Waits up to `timeout` for helper messages; returns the reply to (`awaited`,
    /// `requestId`) if it came. `interruptible`: the wake fd ends the wait too.
    std::optional<platform::ReceivedFrame> dispatch(std::chrono::milliseconds timeout,
                                                    ProcessId awaited, std::uint32_t requestId,
                                                    bool interruptible = false);
    void journalEvent(ProcessId process, const protocol::NetworkEvent& event);
    /// Ends a helper's session: kills it if we spawned it and `killFirst`, reaps it,
    /// journals why. A helper we attached to is disconnected, not killed.
    void drop(ProcessId process, const std::string& why, bool killFirst);
    ProcessId introduce(std::unique_ptr<HelperConnection> connection, const std::string& name);
    SocketId identify(const protocol::SocketDescription& socket);
    DescriptorRef adopt(ProcessId process, const protocol::DescriptorDescription& described,
                        const std::string& how);
    std::vector<DescriptorRef> adoptAll(ProcessId process, const platform::ReceivedFrame& reply,
                                        const std::string& how);
    const DescriptorState& openDescriptor(const DescriptorRef& descriptor,
                                          const std::string& command);
    void observeHelpers();
    void observeCounts();
    void noteHandoffStep(const DescriptorRef& descriptor, std::int32_t step,
                         const std::string& text);
    const JournalEntry& record(EntryPayload payload);
    void pumpUntil(std::chrono::steady_clock::time_point deadline, bool interruptible);
    [[noreturn]] void fail(const std::string& command, const std::string& call,
                           const std::string& codeName, const std::string& sentence);

    Journal journal_;
    BrokerOptions options_;
    State state_;
    std::map<ProcessId, std::unique_ptr<HelperConnection>> helpers_;
    std::uint32_t nextProcess_ = 1;
    std::uint32_t nextSocket_ = 1;
    std::uint32_t nextDuplication_ = 1;
    std::size_t unreadableProcesses_ = 0;
    int wakeFd_ = -1;
    bool woken_ = false;
    std::chrono::steady_clock::time_point nextTick_;
};

} // namespace socklens::broker
