// Runs commands against helper processes, duplicates descriptors between them with the OS's
// own mechanism, and observes the OS after every command and on a steady tick. Everything it
// does and sees goes into the journal; its own view of the session is the fold of that.
//
// Single-threaded: call it from one thread (the CLI's main thread, the app's engine thread).
#pragma once

#include "broker/broker_error.h"
#include "broker/wine_environment.h"
#include "broker/winsock_lineage.h"
#include "model/journal.h"
#include "model/state.h"
#include "platform/posix/fd_channel.h"
#include "protocol/messages.h"
#include "sysmap/fd_tables.h"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

namespace socklens::broker {

struct BrokerOptions {
    std::string helperPath; ///< empty: socklens-helper next to the running executable
    /// empty: socklens-helper.exe next to the running executable ($SOCKLENS_WINSOCK_HELPER)
    std::string winsockHelperPath;
    /// What spawnHelper(name) starts: a Linux helper, or the Winsock helper under Wine.
    Platform backend = Platform::Linux;
    /// Told before a long wait starts (creating the Wine prefix), as the journal is.
    std::function<void(const std::string&)> progress;
    std::chrono::milliseconds commandTimeout{3000};
    std::chrono::milliseconds tickInterval{100}; ///< 10 Hz
    std::chrono::milliseconds receiveWait{1000}; ///< how long a receive waits for data
};

/// The helper `spawnHelper` starts for `platform` when BrokerOptions names none:
/// $SOCKLENS_HELPER / $SOCKLENS_WINSOCK_HELPER if set, else the program next to this one.
std::string defaultHelperPath(Platform platform);
/// `options` with the helper paths it leaves empty filled in by defaultHelperPath.
BrokerOptions withDefaultPaths(BrokerOptions options);

class HelperConnection;

class Broker {
public:
    explicit Broker(BrokerOptions options = {});
    ~Broker();
    Broker(const Broker&) = delete;
    Broker& operator=(const Broker&) = delete;

    /// Starts a helper of `options().backend`.
    ProcessId spawnHelper(const std::string& name);
    /// Linux: socklens-helper. Winsock: `wine socklens-helper.exe` (the Wine prefix is created
    /// the first time, announced in the journal).
    ProcessId spawnHelper(const std::string& name, Platform platform);
    /// A helper started by hand with `socklens-helper --listen`; refused unless it runs as
    /// our user (SO_PEERCRED).
    ProcessId attachHelper(const std::string& socketPath, const std::string& name);

    /// `wsaFlags`: Winsock only; 0 makes the sockets with socket(), else WSASocket(..., flags).
    std::vector<DescriptorRef> createSocket(ProcessId process, SocketKind kind,
                                            std::uint32_t wsaFlags = 0);
    /// Another descriptor for the same socket in `target`: SCM_RIGHTS between Linux helpers,
    /// WSADuplicateSocket + WSASocket between Winsock helpers, an in-process copy if the same.
    /// Between a Linux and a Winsock helper it is refused: their kernels share no objects.
    DescriptorRef duplicate(const DescriptorRef& source, ProcessId target);
    /// Winsock: WSADuplicateSocket(source, pid) for a process id no helper stands for, e.g. one
    /// that does not exist (C12). Returns the protocol info; nothing imports it.
    std::vector<std::uint8_t> duplicateForPid(const DescriptorRef& source, OsPid pid);
    /// Winsock: uses the WSAPROTOCOL_INFO that made `duplicated` once more. The broker lets each
    /// be used once (C8), so this always throws BrokerError ("already-used"), after trying it in
    /// the target to record what the platform itself does with a second use.
    [[noreturn]] void reuseProtocolInfo(const DescriptorRef& duplicated);
    /// Duplicate, then close in the source.
    DescriptorRef handOff(const DescriptorRef& source, ProcessId target);
    /// Returns the value read back through the same descriptor (the effective value).
    std::int64_t setOption(const DescriptorRef& descriptor, SocketOption option,
                           std::int64_t value);
    std::int64_t getOption(const DescriptorRef& descriptor, SocketOption option);
    /// Without a mechanism: the platform's own (F_SETOWN_EX on Linux, WSAEventSelect on Winsock).
    void registerEvents(const DescriptorRef& descriptor, EventMask mask,
                        std::optional<RegistrationMechanism> mechanism = std::nullopt);
    /// `fromSecondThread`: the helper sends from another thread, same descriptor (C2).
    std::size_t send(const DescriptorRef& descriptor, const std::string& bytes,
                     bool fromSecondThread = false);
    std::string receive(const DescriptorRef& descriptor, std::size_t maxBytes);
    void close(const DescriptorRef& descriptor);
    /// SIGKILL, as `kill -9` would.
    void killHelper(ProcessId process);

    /// Reads counts, options and registration owners from the OS now and journals changes.
    /// With a focus (after a command): every descriptor of those sockets, and every process's
    /// descriptor count. Without: a whole tick at once, which in a large session reads each
    /// helper's next share of descriptors in turn (see docs/architecture.md, "When").
    void observe(const std::set<SocketId>& focus = {});
    /// Every descriptor and every fd table, whatever the session's size (before a judgement).
    void observeAll();
    /// Called after every observation, once its entries are journaled (the app's engine hands
    /// a batch to the GUI then).
    void addObservationListener(std::function<void()> listener);
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
    /// A Winsock duplication's protocol info, kept so a second use can be refused (C8).
    struct ProtocolInfoUse {
        std::vector<std::uint8_t> bytes;
        DescriptorRef result; ///< the descriptor its one use made
        std::uint32_t wsaFlags = 0;
    };
    /// What the Winsock helpers reported in one observation.
    struct WinsockReadings {
        std::set<ProcessId> answered;
        std::map<SocketId, std::vector<entry::Holder>> holders;
        std::map<SocketId, std::uint32_t> handleCounts;
    };

    HelperConnection& helper(ProcessId process);
    Platform platformOf(ProcessId process) const;
    DescriptorRef duplicate(const DescriptorRef& source, ProcessId target, bool handOff);
    /// Steps 1-8 between two Winsock helpers (winsock_duplication.cpp).
    DescriptorRef duplicateByProtocolInfo(DuplicationId id, const DescriptorRef& source,
                                          ProcessId target, const std::string& command);
    /// Sends a request and waits (bounded) for its reply, journaling unsolicited messages
    /// meanwhile. A Failure reply, a timeout, a bad frame or the helper's death throws.
    /// `allowance`: how much longer than the command timeout the reply may take.
    platform::ReceivedFrame request(ProcessId process, protocol::Message message,
                                    const std::string& command, std::span<const int> fds = {},
                                    std::chrono::milliseconds allowance = {});
    std::uint32_t sendRequest(ProcessId process, protocol::Message message,
                              const std::string& command, std::span<const int> fds);
    platform::ReceivedFrame awaitReply(ProcessId process, std::uint32_t requestId,
                                       const std::string& command,
                                       std::chrono::milliseconds allowance = {});
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
    /// A descriptor a helper reported. A Winsock one gets `lineage` (a copy of that socket) or
    /// a fresh identity (a new socket).
    DescriptorRef adopt(ProcessId process, protocol::DescriptorDescription described,
                        const std::string& how, std::optional<std::uint64_t> lineage = {});
    std::vector<DescriptorRef> adoptAll(ProcessId process, const platform::ReceivedFrame& reply,
                                        const std::string& how,
                                        std::optional<std::uint64_t> lineage = {});
    const DescriptorState& openDescriptor(const DescriptorRef& descriptor,
                                          const std::string& command);
    /// What one observation reads.
    struct ObservationPlan {
        std::set<SocketId> focus; ///< every descriptor of these sockets
        /// How many other descriptors each asked helper reads, in turn; 0: the focus only.
        std::size_t slice = 0;
        /// Which Linux helpers are asked: every `stride`-th from `offset` (tick slices).
        std::size_t stride = 1;
        std::size_t offset = 0;
        std::size_t scanBudget = 0; ///< /proc/PID/fd entries read in turn (FdTables::refresh)
    };
    void observe(const ObservationPlan& plan);
    /// The tick's next slice: a share of the helpers, and every process's descriptor count.
    void observeTickSlice();
    std::size_t shareOfObserveBudget() const;
    std::chrono::milliseconds tickSliceInterval() const;
    WinsockReadings observeHelpers(const ObservationPlan& plan);
    std::string observeCommand(ProcessId process) const;
    /// What one helper is asked to read: every descriptor of the focus sockets, and the next
    /// ones in turn up to the plan's slice; empty: all of them; nullopt: nothing.
    std::optional<std::vector<std::int64_t>> handlesToObserve(ProcessId process,
                                                              const ObservationPlan& plan);
    void applyObservation(ProcessId id, const protocol::ObservationReply& reply,
                          WinsockReadings& winsock);
    /// Linux sockets: the /proc/PID/fd tables that changed or whose turn it is.
    void observeCounts(const std::set<SocketId>& focus, const sysmap::FdTablesRefresh& refresh);
    /// Journals what a re-read fd table shows that the state does not, and the reverse.
    void reconcileFdTable(std::int64_t pid, std::set<SocketId>& recount);
    /// Winsock sockets: the HandleCount the helpers read from the object manager.
    void observeWinsockCounts(const WinsockReadings& readings);
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
    /// The one request each helper may have pending, and replies that came while another
    /// helper's reply was awaited (observation asks every helper before it waits).
    std::map<ProcessId, std::uint32_t> outstanding_;
    std::map<ProcessId, platform::ReceivedFrame> arrived_;
    std::map<ProcessId, Handle> observeCursor_; ///< where each helper's next slice begins
    sysmap::FdTables fdTables_;
    std::vector<std::function<void()>> observationListeners_;
    /// Why helpers that ended before they joined the session (before Hello's answer) ended.
    std::map<ProcessId, std::string> startFailures_;
    WinsockLineage lineage_;
    std::map<DuplicationId, ProtocolInfoUse> protocolInfos_;
    std::optional<WineEnvironment> wine_; ///< found and prepared at the first Winsock helper
    std::uint32_t nextProcess_ = 1;
    std::uint32_t nextSocket_ = 1;
    std::uint32_t nextDuplication_ = 1;
    std::size_t unreadableProcesses_ = 0;

    int wakeFd_ = -1;
    bool woken_ = false;
    std::chrono::steady_clock::time_point nextTick_; ///< of the next tick slice
    std::size_t tickSlice_ = 0;
};

} // namespace socklens::broker
