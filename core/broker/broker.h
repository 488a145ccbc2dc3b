// Runs commands against helper processes, duplicates descriptors between them with the OS's
// own mechanism, and observes the OS after every command and on a steady tick. Everything it
// does and sees goes into the journal; its own view of the session is the fold of that.
//
// Single-threaded: call it from one thread (the CLI's main thread, the app's engine thread).
#pragma once

#include "broker/attach_target.h"
#include "broker/broker_error.h"
#include "broker/broker_session.h"
#include "broker/helper_set.h"
#include "broker/kernel_backend.h"
#include "broker/observer.h"
#include "broker/wine_environment.h"
#include "model/journal.h"
#include "model/state.h"
#include "platform/posix/fd_channel.h"
#include "protocol/messages.h"

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
    /// ListenersOnly where the consumer keeps the entries itself (the GUI's engine).
    JournalHistory journalHistory = JournalHistory::Kept;
};

/// One of socklens's own programs by file name: next to the running program (the build tree;
/// bin/ when installed), else in the package's private directory (lib/socklens).
std::string companionProgramPath(const std::string& name);
/// The helper `spawnHelper` starts for `platform` when BrokerOptions names none:
/// $SOCKLENS_HELPER / $SOCKLENS_WINSOCK_HELPER if set, else the program next to this one.
std::string defaultHelperPath(Platform platform);
/// `options` with the helper paths it leaves empty filled in by defaultHelperPath.
BrokerOptions withDefaultPaths(BrokerOptions options);

/// The facade the CLI, the scenario runner and the GUI's engine use. It runs the commands;
/// the helper set talks to helpers, a backend per kernel knows identity, duplication and
/// counts, and the observer reads the OS (docs/architecture.md, "The broker's parts").
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

    /// Attaches read-only to the processes `target` selects (a pid, a process tree, the
    /// holders of a port or an inode): observed from /proc and sock_diag at every tick, never
    /// commanded. Returns the processes that joined now. Throws BrokerError with the code
    /// "no-such-process" for a pid that is not running, "invalid-target" for a bad value.
    /// A Windows pid (AttachTarget::Kind::WindowsPid) is one Windows process of the Wine prefix,
    /// read through a running Winsock helper (throws BrokerError "no-reader" without one).
    std::vector<ProcessId> attach(const AttachTarget& target);
    /// The Windows processes of the Wine prefix that are not helpers, as a running Winsock
    /// helper lists them (CreateToolhelp32Snapshot). Throws BrokerError ("no-reader").
    std::vector<protocol::ListedProcess> windowsProcesses();
    /// Reads every option and the registration owner of an attached process's sockets
    /// through pidfd_getfd copies, closed at once and never counted (asked for explicitly).
    void deepRead(ProcessId process);

    /// `wsaFlags`: Winsock only; 0 makes the sockets with socket(), else WSASocket(..., flags).
    std::vector<DescriptorRef> createSocket(ProcessId process, SocketKind kind,
                                            std::uint32_t wsaFlags = 0);
    /// `count` sockets of `kind` at once: one command in the journal, each socket's
    /// descriptors journaled as createSocket's are, and one observation at the end (a
    /// session of thousands is built in linear time).
    std::vector<DescriptorRef> createSockets(ProcessId process, SocketKind kind, std::size_t count,
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
    /// Whether a child `descriptor`'s process starts later inherits it: Winsock
    /// SetHandleInformation(HANDLE_FLAG_INHERIT), Linux fcntl(F_SETFD, FD_CLOEXEC).
    void setInheritable(const DescriptorRef& descriptor, bool inheritable);
    /// SIGKILL, as `kill -9` would.
    void killHelper(ProcessId process);
    /// Makes `parent` start a child that holds only what it inherits (Winsock: CreateProcess
    /// with bInheritHandles = `inherit`; Linux: fork and exec, its descriptors left open across
    /// exec when `inherit`) and ends after `lifetime`. The child joins the session as `name`, a
    /// process that is not a helper; its holdings come from the OS at the next observation.
    ProcessId startChild(ProcessId parent, const std::string& name, bool inherit,
                         std::chrono::milliseconds lifetime);

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
    void setWakeFd(int fd) { helpers_.setWakeFd(fd); }
    void setTickInterval(std::chrono::milliseconds interval);
    /// Pumps until `condition` holds for the state, or `bound` passes. Returns whether it held.
    bool waitUntil(const std::function<bool(const State&)>& condition,
                   std::chrono::milliseconds bound);

    const State& state() const { return session_.state(); }
    Journal& journal() { return session_.journal(); }
    const BrokerOptions& options() const { return options_; }
    std::vector<ProcessId> helpers() const;

private:
    /// Runs a public entry point: any exception other than the broker's own becomes a
    /// sentence in the journal and a BrokerError, never an abort of the CLI or the engine.
    template <class Work> auto guarded(const char* entryPoint, Work&& work) -> decltype(work());
    std::vector<DescriptorRef> create(ProcessId process, SocketKind kind, std::size_t count,
                                      std::uint32_t wsaFlags);
    DescriptorRef duplicate(const DescriptorRef& source, ProcessId target, bool handOff);
    ProcessId join(std::unique_ptr<HelperConnection> connection, const std::string& name,
                   Platform platform);
    /// Steps 9 and 10 of the duplications `descriptor` is an end of, the first time each
    /// happens after the duplication.
    void noteHandoffStep(const DescriptorRef& descriptor, std::int32_t step,
                         const std::string& text);
    void observeSocketOf(const DescriptorRef& descriptor);
    /// What the broker's own commands give the functions they share with the backends.
    BackendContext commandContext() { return {session_, helpers_, options_, replyReadings_, {}}; }
    /// Sends a SetOption or GetOption; the reading must be of the option asked for.
    template <class OptionRequest>
    OptionReading requestOption(const DescriptorRef& descriptor, const OptionRequest& request,
                                const std::string& command);

    BrokerOptions options_;
    BrokerSession session_;
    HelperSet helpers_;
    ReplyReadings replyReadings_;
    KernelBackends backends_;
    Observer observer_;
    /// Ends of finished duplications whose steps 9 and 10 may still come, by descriptor.
    std::multimap<DescriptorRef, DuplicationId> handoffEnds_;
};

} // namespace socklens::broker
