#include "broker/broker.h"

#include "broker/labels.h"
#include "broker/linux_helper_connection.h"
#include "broker/protocol_info.h"
#include "broker/wine_helper_connection.h"
#include "platform/os_error.h"
#include "sysmap/proc_scan.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <poll.h>
#include <set>
#include <sys/stat.h>
#include <unordered_map>

namespace socklens::broker {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How many descriptors one tick reads the options and owner of, in all helpers together: all
// of them in a session of this size or smaller; beyond, each in turn every few ticks.
constexpr std::size_t kObserveBudget = 4096;
// How many /proc/PID/fd entries one tick reads in turn, besides the tables that changed.
constexpr std::size_t kScanBudget = 4096;
constexpr std::size_t kEverything = SIZE_MAX;
// A tick is done in this many slices, evenly apart: each asks its share of the helpers, and
// each checks every process's descriptor count, so no slice keeps the engine long and a
// close shows within a slice.
constexpr std::size_t kTickSlices = 4;

std::string printable(const std::vector<std::uint8_t>& bytes) {
    return std::string(bytes.begin(), bytes.end());
}

} // namespace

std::string defaultHelperPath(Platform platform) {
    const bool winsock = platform == Platform::WinsockWine;
    if (const char* overridden =
            std::getenv(winsock ? "SOCKLENS_WINSOCK_HELPER" : "SOCKLENS_HELPER"))
        return overridden;
    std::error_code error;
    const auto programs = std::filesystem::read_symlink("/proc/self/exe", error).parent_path();
    const char* name = winsock ? "socklens-helper.exe" : "socklens-helper";
    // In the build tree both helpers sit next to the programs; installed, the Windows
    // executable lives in the package's private directory (/usr/lib/socklens).
    const std::filesystem::path beside = programs / name;
    const std::filesystem::path installed = programs / ".." / "lib" / "socklens" / name;
    if (!std::filesystem::exists(beside, error) && std::filesystem::exists(installed, error))
        return installed.lexically_normal().string();
    return beside.string();
}

BrokerOptions withDefaultPaths(BrokerOptions options) {
    if (options.helperPath.empty())
        options.helperPath = defaultHelperPath(Platform::Linux);
    if (options.winsockHelperPath.empty())
        options.winsockHelperPath = defaultHelperPath(Platform::WinsockWine);
    return options;
}

Broker::Broker(BrokerOptions options)
    : options_(withDefaultPaths(std::move(options)))
    , nextTick_(Clock::now() + tickSliceInterval()) {
    // The broker's state is the fold of its journal; it folds first so later listeners see
    // the state that includes the entry they are told about.
    journal_.addListener([this](const JournalEntry& entry) { apply(state_, entry); });
}

Broker::~Broker() = default;

const JournalEntry& Broker::record(EntryPayload payload) {
    return journal_.append(std::move(payload));
}

void Broker::fail(const std::string& command, const std::string& call, const std::string& codeName,
                  const std::string& sentence) {
    record(entry::CommandFailed{command, call, codeName, sentence});
    throw BrokerError(sentence, codeName);
}

std::vector<ProcessId> Broker::helpers() const {
    std::vector<ProcessId> ids;
    for (const auto& [id, connection] : helpers_)
        ids.push_back(id);
    return ids;
}

HelperConnection& Broker::helper(ProcessId process) {
    auto it = helpers_.find(process);
    if (it == helpers_.end()) {
        const ProcessState* known = state_.process(process);
        throw BrokerError(known
                              ? known->name + " is not running any more (" + known->exitReason + ")"
                              : "there is no helper P" + std::to_string(process.value()));
    }
    return *it->second;
}

Platform Broker::platformOf(ProcessId process) const {
    const ProcessState* known = state_.process(process);
    return known ? known->platform : Platform::Linux;
}

// ---- talking to helpers ----------------------------------------------------------------

std::uint32_t Broker::sendRequest(ProcessId process, protocol::Message message,
                                  const std::string& command, std::span<const int> fds) {
    HelperConnection& connection = helper(process);
    const std::uint32_t id = connection.nextRequestId();
    std::visit(
        [id](auto& request) {
            if constexpr (requires { request.requestId; })
                request.requestId = id;
        },
        message);
    try {
        connection.send(message, fds);
        outstanding_[process] = id;
    } catch (const platform::OsError& error) {
        drop(process, "its control channel failed: " + error.sentence(), true);
        fail(command, error.call(), error.codeName(), "the helper is gone: " + error.sentence());
    }
    return id;
}

platform::ReceivedFrame Broker::awaitReply(ProcessId process, std::uint32_t requestId,
                                           const std::string& command, milliseconds allowance) {
    const milliseconds timeout = options_.commandTimeout + allowance;
    std::optional<platform::ReceivedFrame> reply;
    if (const auto early = arrived_.find(process);
        early != arrived_.end() && protocol::requestIdOf(early->second.message) == requestId) {
        reply = std::move(early->second);
        arrived_.erase(early);
    } else {
        reply = dispatch(timeout, process, requestId);
    }
    if (reply)
        outstanding_.erase(process);
    if (!reply) {
        if (helpers_.contains(process)) {
            const std::string why = "did not answer \"" + command + "\" within " +
                                    std::to_string(timeout.count()) + " ms";
            drop(process, why + "; killed", true);
            fail(command, {}, "timeout", processLabel(state_, process) + " " + why);
        }
        const ProcessState* gone = state_.process(process);
        const auto failedStart = startFailures_.find(process);
        fail(command, {}, "helper-gone",
             processLabel(state_, process) + " ended before answering: " +
                 (gone                                  ? gone->exitReason
                  : failedStart != startFailures_.end() ? failedStart->second
                                                        : std::string("unknown reason")));
    }
    if (const auto* failure = std::get_if<protocol::Failure>(&reply->message))
        fail(command, failure->call, failure->codeName, failure->sentence);
    return std::move(*reply);
}

platform::ReceivedFrame Broker::request(ProcessId process, protocol::Message message,
                                        const std::string& command, std::span<const int> fds,
                                        milliseconds allowance) {
    const std::uint32_t id = sendRequest(process, std::move(message), command, fds);
    return awaitReply(process, id, command, allowance);
}

std::optional<platform::ReceivedFrame> Broker::dispatch(milliseconds timeout, ProcessId awaited,
                                                        std::uint32_t requestId,
                                                        bool interruptible) {
    const Clock::time_point deadline = Clock::now() + timeout;
    for (;;) {
        std::vector<ProcessId> ids = helpers();
        std::vector<pollfd> fds;
        for (ProcessId id : ids)
            fds.push_back(pollfd{helpers_.at(id)->pollFd(), POLLIN, 0});
        // Only pump() may be woken: a reply awaited or a condition waited for goes on.
        const bool wakeable = interruptible && wakeFd_ >= 0;
        if (wakeable)
            fds.push_back(pollfd{wakeFd_, POLLIN, 0});
        const auto remaining =
            std::max<Clock::duration>(deadline - Clock::now(), Clock::duration::zero());
        const int wait = int(std::chrono::ceil<milliseconds>(remaining).count());
        // With no helpers this only lets the time pass (pump() uses that).
        if (::poll(fds.data(), fds.size(), wait) < 0 && errno != EINTR)
            return std::nullopt;

        woken_ = wakeable && fds.back().revents != 0;
        std::optional<platform::ReceivedFrame> reply;
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (fds[i].revents == 0)
                continue;
            const ProcessId id = ids[i];
            HelperConnection& connection = *helpers_.at(id);
            try {
                const bool open = connection.readAvailable();
                while (std::optional<platform::ReceivedFrame> frame = connection.nextFrame()) {
                    if (const auto* event = std::get_if<protocol::NetworkEvent>(&frame->message))
                        journalEvent(id, *event);
                    else if (id == awaited && protocol::requestIdOf(frame->message) == requestId)
                        reply = std::move(frame);
                    else if (const auto pending = outstanding_.find(id);
                             pending != outstanding_.end() &&
                             protocol::requestIdOf(frame->message) == pending->second)
                        arrived_.insert_or_assign(id, std::move(*frame)); // awaited next
                    else
                        record(entry::Problem{
                            processLabel(state_, id) + " sent an unexpected " +
                            std::string(protocol::toString(protocol::typeOf(frame->message)))});
                }
                if (!open)
                    drop(id, {}, false);
            } catch (const protocol::ProtocolError& error) {
                drop(id, std::string("sent a bad frame: ") + error.what(), true);
            } catch (const platform::OsError& error) {
                drop(id, "its control channel failed: " + error.sentence(), true);
            }
        }
        if (reply || woken_ || (awaited.valid() && !helpers_.contains(awaited)) ||
            Clock::now() >= deadline)
            return reply;
    }
}

void Broker::journalEvent(ProcessId process, const protocol::NetworkEvent& event) {
    std::uint64_t identity = event.identity;
    if (platformOf(process) == Platform::WinsockWine) // Winsock helpers name no identity
        identity = lineage_.identityOf({process, Handle(event.handle)}).value_or(0);
    const std::optional<SocketId> socket = state_.socketWithIdentity(identity);
    record(entry::EventDelivered{DescriptorRef{process, Handle(event.handle)},
                                 socket.value_or(SocketId()), event.events, event.registered,
                                 event.band});
}

void Broker::drop(ProcessId process, const std::string& why, bool killFirst) {
    auto it = helpers_.find(process);
    if (it == helpers_.end())
        return;
    std::unique_ptr<HelperConnection> connection = std::move(it->second);
    helpers_.erase(it);
    outstanding_.erase(process);
    arrived_.erase(process);
    observeCursor_.erase(process);
    const std::string ending = connection->end(killFirst, milliseconds(1000));
    const std::string reason = why.empty() ? ending : why + " (" + ending + ")";
    if (state_.process(process))
        record(entry::ProcessExited{process, reason});
    else
        startFailures_[process] = reason; // it never joined: the start command reports this
}

// ---- helpers and sockets ---------------------------------------------------------------

ProcessId Broker::introduce(std::unique_ptr<HelperConnection> connection, const std::string& name) {
    const ProcessId id(nextProcess_++);
    helpers_.emplace(id, std::move(connection));
    const std::string command = "start helper " + name;
    try {
        const auto reply =
            request(id, protocol::Hello{}, command, {}, helpers_.at(id)->startupAllowance());
        const auto* hello = std::get_if<protocol::HelloReply>(&reply.message);
        if (!hello) {
            drop(id, "answered Hello with something else", true);
            throw BrokerError(name + " does not speak the socklens helper protocol");
        }
        HelperConnection& connection = helper(id);
        if (!connection.spawned())
            connection.setPid(OsPid(hello->pid));
        // A Winsock helper is known by its Windows process id, the one WSADuplicateSocket takes.
        const OsPid pid =
            hello->platform == Platform::WinsockWine ? OsPid(hello->pid) : connection.pid();
        record(entry::ProcessStarted{id, pid, name, hello->platform, true, hello->osVersion});
    } catch (const BrokerError&) {
        helpers_.erase(id);
        throw;
    }
    observe();
    return id;
}

ProcessId Broker::spawnHelper(const std::string& name) {
    return spawnHelper(name, options_.backend);
}

ProcessId Broker::spawnHelper(const std::string& name, Platform platform) {
    const bool winsock = platform == Platform::WinsockWine;
    const std::string command =
        winsock ? "start Winsock helper " + name + " (wine " + options_.winsockHelperPath + ")"
                : "start helper " + name;
    record(entry::CommandIssued{command});
    try {
        if (!winsock)
            return introduce(LinuxHelperConnection::spawn(options_.helperPath), name);
        if (const std::optional<std::string> why = winsockUnavailable(options_.winsockHelperPath))
            throw BrokerError(*why);
        if (!wine_)
            wine_ = prepareWine(options_.winsockHelperPath, [this](const std::string& text) {
                record(entry::CommandIssued{text}); // the long wait is announced first
                if (options_.progress)
                    options_.progress(text);
            });
        return introduce(WineHelperConnection::spawn(*wine_, options_.winsockHelperPath), name);
    } catch (const BrokerError& error) {
        fail(command, "", "", error.what());
    }
}

ProcessId Broker::attachHelper(const std::string& socketPath, const std::string& name) {
    record(entry::CommandIssued{"attach helper " + name + " at " + socketPath});
    try {
        return introduce(LinuxHelperConnection::attach(socketPath), name);
    } catch (const BrokerError& error) {
        fail("attach helper " + name, "connect", "", error.what());
    }
}

SocketId Broker::identify(const protocol::SocketDescription& socket) {
    const entry::SocketIdentified described{SocketId(),    socket.identity, socket.kind,
                                            socket.family, socket.type,     socket.protocol,
                                            socket.local,  socket.peer,     socket.tcpState};
    if (std::optional<SocketId> known = state_.socketWithIdentity(socket.identity)) {
        const SocketState& current = *state_.socket(*known);
        if (current.tcpState != socket.tcpState || current.peer != socket.peer ||
            current.local != socket.local) {
            entry::SocketIdentified update = described;
            update.socket = *known;
            record(std::move(update));
        }
        return *known;
    }
    entry::SocketIdentified fresh = described;
    fresh.socket = SocketId(nextSocket_++);
    record(fresh);
    return fresh.socket;
}

DescriptorRef Broker::adopt(ProcessId process, protocol::DescriptorDescription described,
                            const std::string& how, std::optional<std::uint64_t> lineage) {
    const DescriptorRef ref{process, Handle(described.handle)};
    if (platformOf(process) == Platform::WinsockWine) {
        described.socket.identity = lineage ? *lineage : lineage_.mint();
        lineage_.bind(ref, described.socket.identity, described.wsaFlags);
    }
    record(entry::DescriptorOpened{ref, identify(described.socket), how});
    return ref;
}

std::vector<DescriptorRef> Broker::adoptAll(ProcessId process, const platform::ReceivedFrame& reply,
                                            const std::string& how,
                                            std::optional<std::uint64_t> lineage) {
    std::vector<DescriptorRef> refs;
    if (const auto* descriptors = std::get_if<protocol::DescriptorsReply>(&reply.message)) {
        for (const protocol::DescriptorDescription& described : descriptors->descriptors)
            refs.push_back(adopt(process, described, how, lineage));
    }
    return refs;
}

const DescriptorState& Broker::openDescriptor(const DescriptorRef& descriptor,
                                              const std::string& command) {
    const DescriptorState* state = state_.descriptor(descriptor);
    if (!state || !state->open)
        fail(command, {}, "EBADF",
             describeDescriptor(state_, descriptor) + " is not an open descriptor of this session");
    helper(descriptor.process); // throws when the process is gone
    return *state;
}

std::vector<DescriptorRef> Broker::createSocket(ProcessId process, SocketKind kind,
                                                std::uint32_t wsaFlags) {
    const std::string command = "create " + std::string(toString(kind)) + " in " +
                                processLabel(state_, process) +
                                (wsaFlags ? " with " + describeWsaFlags(wsaFlags) : "");
    record(entry::CommandIssued{command});
    protocol::CreateSocket create;
    create.kind = kind;
    create.wsaFlags = wsaFlags;
    const auto reply = request(process, create, command);
    std::vector<DescriptorRef> refs = adoptAll(process, reply, "created");
    std::set<SocketId> created;
    for (const DescriptorRef& ref : refs)
        created.insert(state_.descriptor(ref)->socket);
    observe(created);
    return refs;
}

DescriptorRef Broker::duplicate(const DescriptorRef& source, ProcessId target) {
    return duplicate(source, target, false);
}

DescriptorRef Broker::duplicate(const DescriptorRef& source, ProcessId target, bool handOff) {
    const bool sameProcess = source.process == target;
    const std::string command =
        "duplicate " + describeDescriptor(state_, source) + " into " + processLabel(state_, target);
    record(entry::CommandIssued{command});
    const DescriptorState& from = openDescriptor(source, command);
    const SocketId socket = from.socket;
    helper(target);
    const Platform platform = platformOf(source.process);
    if (platformOf(target) != platform)
        fail(command, {}, "different-kernels",
             "cannot duplicate " + describeDescriptor(state_, source) + " into " +
                 processLabel(state_, target) +
                 ": objects of different kernels cannot be shared. A descriptor of a " +
                 std::string(toString(platform)) +
                 " helper names an object of its own kernel, and the other helper runs on " +
                 std::string(toString(platformOf(target))));
    const bool winsock = platform == Platform::WinsockWine;

    const DuplicationId id(nextDuplication_++);
    const DuplicationMechanism mechanism = sameProcess ? DuplicationMechanism::DupInProcess
                                           : winsock   ? DuplicationMechanism::WsaDuplicateSocket
                                                       : DuplicationMechanism::ScmRights;
    record(entry::DuplicationStarted{id, socket, source, target, mechanism, handOff});
    auto step = [&](std::int32_t number, const char* actor, std::string text,
                    std::string detail = {}) {
        record(entry::HandoffStep{id, number, actor, std::move(text), std::move(detail)});
    };
    auto failWith = [&](const BrokerError& error) -> DescriptorRef {
        record(entry::DuplicationFinished{id, DescriptorRef(), error.what()});
        throw error;
    };

    const SocketState& shared = *state_.socket(socket);
    const std::string inode = identityText(shared.identity);
    try {
        DescriptorRef result;
        if (sameProcess) {
            protocol::DupDescriptor dup;
            dup.handle = source.handle.value();
            const auto reply = request(target, dup, command);
            const std::vector<DescriptorRef> refs = adoptAll(target, reply, "dup", shared.identity);
            result = refs.at(0);
            const std::string copy = std::to_string(result.handle.value());
            step(8, "target",
                 winsock ? "WSADuplicateSocket and WSASocket(FROM_PROTOCOL_INFO) inside the "
                           "process give SOCKET " +
                               copy + " for the same socket"
                         : "dup() gives fd " + copy + " for the same socket in the same process",
                 inode);
        } else if (winsock) {
            result = duplicateByProtocolInfo(id, source, target, command);
        } else {
            step(1, "source",
                 describeDescriptor(state_, source) + " holds a " + shared.kind + " socket " +
                     shared.local + (shared.peer.empty() ? "" : " -> " + shared.peer),
                 inode);
            step(2, "broker", "ask " + processLabel(state_, target) + " for its process id");
            const auto hello = request(target, protocol::Hello{}, command);
            const std::int64_t targetPid = std::get<protocol::HelloReply>(hello.message).pid;
            step(3, "target", "the target answers: pid " + std::to_string(targetPid));
            step(4, "source",
                 "the source side receives the target's pid " + std::to_string(targetPid));

            protocol::ExportDescriptor exportRequest;
            exportRequest.handle = source.handle.value();
            auto exported = request(source.process, exportRequest, command);
            if (exported.fds.size() != 1)
                throw BrokerError(processLabel(state_, source.process) +
                                  " answered the export without a descriptor");
            const int transient = exported.fds.front().get();
            struct stat status {};
            ::fstat(transient, &status);
            step(5, "source",
                 "sendmsg(SCM_RIGHTS) passes fd " + std::to_string(source.handle.value()) +
                     " to the broker, which receives it as its fd " + std::to_string(transient),
                 "socket:[" + std::to_string(status.st_ino) + "]");
            if (status.st_ino != shared.identity)
                record(entry::Disagreement{
                    "descriptor passed by " + describeDescriptor(state_, source), inode,
                    "socket:[" + std::to_string(status.st_ino) + "]"});

            const std::uint32_t importId = sendRequest(target, protocol::ImportDescriptor{},
                                                       command, std::span(&transient, 1));
            record(entry::ReferenceInFlight{id, socket});
            step(6, "broker",
                 "sendmsg(SCM_RIGHTS) passes it on to the target; the broker closes its fd " +
                     std::to_string(transient) + " at once");
            exported.fds.front().reset();

            const auto imported = awaitReply(target, importId, command);
            const std::vector<DescriptorRef> refs =
                adoptAll(target, imported, "duplicated", shared.identity);
            if (refs.size() != 1)
                throw BrokerError(processLabel(state_, target) +
                                  " did not report the imported descriptor");
            result = refs.front();
            step(7, "target", "recvmsg(SCM_RIGHTS) in the target receives the reference");
            step(8, "target",
                 "the target holds fd " + std::to_string(result.handle.value()) +
                     " for the same socket",
                 inode);
        }
        record(entry::DuplicationFinished{id, result, {}});
        observe({socket});
        return result;
    } catch (const BrokerError& error) {
        return failWith(error);
    }
}

DescriptorRef Broker::handOff(const DescriptorRef& source, ProcessId target) {
    const DescriptorRef result = duplicate(source, target, true);
    record(entry::CommandIssued{"hand off: close " + describeDescriptor(state_, source) +
                                " in the source"});
    close(source);
    return result;
}

std::int64_t Broker::setOption(const DescriptorRef& descriptor, SocketOption option,
                               std::int64_t value) {
    const std::string command = "setsockopt(" + std::string(toString(option)) + ", " +
                                std::to_string(value) + ") through " +
                                describeDescriptor(state_, descriptor);
    record(entry::CommandIssued{command});
    openDescriptor(descriptor, command);
    protocol::SetOption set;
    set.handle = descriptor.handle.value();
    set.option = option;
    set.value = value;
    const auto reply = request(descriptor.process, set, command);
    const std::int64_t effective = std::get<protocol::OptionReply>(reply.message).reading.value;
    record(entry::OptionSet{descriptor, option, value, effective});
    observe({state_.descriptor(descriptor)->socket}); // through every descriptor (C5)
    return effective;
}

std::int64_t Broker::getOption(const DescriptorRef& descriptor, SocketOption option) {
    const std::string command = "getsockopt(" + std::string(toString(option)) + ") through " +
                                describeDescriptor(state_, descriptor);
    record(entry::CommandIssued{command});
    openDescriptor(descriptor, command);
    protocol::GetOption get;
    get.handle = descriptor.handle.value();
    get.option = option;
    const auto reply = request(descriptor.process, get, command);
    const protocol::OptionReading reading = std::get<protocol::OptionReply>(reply.message).reading;
    record(entry::OptionObserved{descriptor, option, reading.value, reading.errorCode});
    return reading.value;
}

void Broker::registerEvents(const DescriptorRef& descriptor, EventMask mask,
                            std::optional<RegistrationMechanism> mechanism) {
    const RegistrationMechanism chosen =
        mechanism.value_or(platformOf(descriptor.process) == Platform::WinsockWine
                               ? RegistrationMechanism::WsaEventSelect
                               : RegistrationMechanism::FcntlSetOwn);
    const std::string command = "register " + eventMaskToString(mask) + " through " +
                                describeDescriptor(state_, descriptor) + " with " +
                                std::string(toString(chosen));
    record(entry::CommandIssued{command});
    const SocketId socket = openDescriptor(descriptor, command).socket;
    protocol::RegisterEvents registration;
    registration.handle = descriptor.handle.value();
    registration.mask = mask;
    registration.mechanism = chosen;
    request(descriptor.process, registration, command);
    record(entry::RegistrationMade{socket, descriptor, mask, registration.mechanism});
    observe({socket});
}

void Broker::noteHandoffStep(const DescriptorRef& descriptor, std::int32_t number,
                             const std::string& text) {
    for (const auto& [id, duplication] : state_.duplications) {
        if (duplication.mechanism == DuplicationMechanism::DupInProcess ||
            (duplication.result != descriptor && duplication.source != descriptor))
            continue;
        const bool done = std::any_of(duplication.steps.begin(), duplication.steps.end(),
                                      [&](const HandoffStepState& s) { return s.step == number; });
        if (!done && duplication.finished && duplication.failure.empty()) {
            const char* actor = duplication.result == descriptor ? "target" : "source";
            record(entry::HandoffStep{id, number, actor, text, {}});
            return;
        }
    }
}

std::size_t Broker::send(const DescriptorRef& descriptor, const std::string& bytes,
                         bool fromSecondThread) {
    const std::string command = "send " + std::to_string(bytes.size()) + " byte(s) through " +
                                describeDescriptor(state_, descriptor) +
                                (fromSecondThread ? " from a second thread" : "");
    record(entry::CommandIssued{command});
    openDescriptor(descriptor, command);
    protocol::Send send;
    send.handle = descriptor.handle.value();
    send.bytes.assign(bytes.begin(), bytes.end());
    send.fromSecondThread = fromSecondThread;
    const auto reply = request(descriptor.process, send, command);
    const auto& sendReply = std::get<protocol::SendReply>(reply.message);
    const std::size_t sent = sendReply.sent;
    record(
        entry::DataSent{descriptor, bytes.substr(0, sent), sendReply.threadId, fromSecondThread});
    noteHandoffStep(descriptor, 9,
                    "data exchange: " + describeDescriptor(state_, descriptor) + " sends " +
                        std::to_string(sent) + " byte(s)");
    observe({state_.descriptor(descriptor)->socket});
    return sent;
}

std::string Broker::receive(const DescriptorRef& descriptor, std::size_t maxBytes) {
    const std::string command = "receive through " + describeDescriptor(state_, descriptor);
    record(entry::CommandIssued{command});
    openDescriptor(descriptor, command);
    protocol::Receive receive;
    receive.handle = descriptor.handle.value();
    receive.maxBytes = std::uint32_t(std::min<std::size_t>(maxBytes, 1u << 20));
    // Data sent a moment ago may still be on its way, even over loopback.
    receive.waitMs =
        std::uint32_t(std::min(options_.receiveWait, options_.commandTimeout / 2).count());
    const auto reply = request(descriptor.process, receive, command);
    const std::string bytes = printable(std::get<protocol::ReceiveReply>(reply.message).bytes);
    record(entry::DataReceived{descriptor, bytes});
    noteHandoffStep(descriptor, 9,
                    "data exchange: " + describeDescriptor(state_, descriptor) + " receives " +
                        std::to_string(bytes.size()) + " byte(s)");
    observe({state_.descriptor(descriptor)->socket});
    return bytes;
}

void Broker::close(const DescriptorRef& descriptor) {
    const std::string command = "close " + describeDescriptor(state_, descriptor);
    record(entry::CommandIssued{command});
    openDescriptor(descriptor, command);
    protocol::CloseDescriptor close;
    close.handle = descriptor.handle.value();
    request(descriptor.process, close, command);
    noteHandoffStep(descriptor, 10,
                    describeDescriptor(state_, descriptor) + " closes its descriptor");
    record(entry::DescriptorClosed{descriptor, "closed"});
    observe({state_.descriptor(descriptor)->socket});
}

void Broker::killHelper(ProcessId process) {
    record(entry::CommandIssued{"kill -9 " + processLabel(state_, process)});
    helper(process).kill(); // also a helper we attached to: the user asked for it
    drop(process, {}, true);
    observe();
}

// ---- observation -----------------------------------------------------------------------

void Broker::observe(const std::set<SocketId>& focus) {
    ObservationPlan plan;
    if (focus.empty()) { // a whole tick at once
        plan.slice = shareOfObserveBudget();
        plan.scanBudget = kScanBudget;
    } else { // a command: what it touched
        plan.focus = focus;
    }
    observe(plan);
}

void Broker::observeAll() {
    observe(ObservationPlan{{}, kEverything, 1, 0, kEverything});
}

void Broker::observeTickSlice() {
    observe(ObservationPlan{
        {}, shareOfObserveBudget(), kTickSlices, tickSlice_, kScanBudget / kTickSlices});
    tickSlice_ = (tickSlice_ + 1) % kTickSlices;
}

std::size_t Broker::shareOfObserveBudget() const {
    return std::max<std::size_t>(kObserveBudget / std::max<std::size_t>(helpers_.size(), 1), 1);
}

void Broker::addObservationListener(std::function<void()> listener) {
    observationListeners_.push_back(std::move(listener));
}

void Broker::observe(const ObservationPlan& plan) {
    // A command ran in the processes that hold the focus sockets: their tables are read now,
    // whatever their descriptor counts say. (A Winsock helper's pid is a Windows one.)
    if (!plan.focus.empty()) {
        for (const auto& [ref, descriptor] : state_.descriptors) {
            const ProcessState& holder = *state_.process(ref.process);
            if (plan.focus.contains(descriptor.socket) && holder.platform == Platform::Linux)
                fdTables_.markStale(holder.pid.value());
        }
    }
    // Counts first, so a close is journaled before the helpers' (longer) reading starts.
    // Every observation checks every process's descriptor count: closes show within a slice.
    observeCounts(plan.focus, fdTables_.refresh(plan.scanBudget, true));
    const WinsockReadings winsock = observeHelpers(plan);
    if (wine_) // only a session that started a Winsock helper has Winsock sockets
        observeWinsockCounts(winsock);
    nextTick_ = Clock::now() + tickSliceInterval();
    for (const auto& listener : observationListeners_)
        listener();
}

std::chrono::milliseconds Broker::tickSliceInterval() const {
    return std::max(options_.tickInterval / std::int64_t(kTickSlices), milliseconds(1));
}

std::optional<std::vector<std::int64_t>> Broker::handlesToObserve(ProcessId process,
                                                                  const ObservationPlan& plan) {
    std::vector<std::int64_t> open;
    std::vector<std::int64_t> handles;
    const auto first = state_.descriptors.lower_bound(DescriptorRef{process, Handle(INT64_MIN)});
    for (auto it = first; it != state_.descriptors.end() && it->first.process == process; ++it) {
        if (!it->second.open)
            continue;
        open.push_back(it->first.handle.value());
        if (plan.focus.contains(it->second.socket))
            handles.push_back(it->first.handle.value());
    }
    if (plan.slice == 0)
        return handles.empty() ? std::nullopt : std::optional(handles);
    if (open.size() <= plan.slice)
        return std::vector<std::int64_t>{}; // all of them
    // The next `slice` after the last one read, wrapping around.
    Handle& cursor = observeCursor_[process];
    auto next = std::upper_bound(open.begin(), open.end(), cursor.value());
    for (std::size_t taken = 0; taken < plan.slice; ++taken, ++next) {
        if (next == open.end())
            next = open.begin();
        handles.push_back(*next);
        cursor = Handle(*next);
    }
    return handles;
}

Broker::WinsockReadings Broker::observeHelpers(const ObservationPlan& plan) {
    WinsockReadings winsock;
    // Every helper is asked before any answer is awaited, so they read at the same time.
    std::vector<std::pair<ProcessId, std::uint32_t>> asked;
    std::size_t index = 0;
    for (const ProcessId id : helpers()) {
        protocol::Observe request;
        // Winsock helpers are few and always read every handle: their replies are also the
        // handle counts, which need every holder's answer.
        if (platformOf(id) != Platform::WinsockWine) {
            if (index++ % plan.stride != plan.offset)
                continue;
            std::optional<std::vector<std::int64_t>> handles = handlesToObserve(id, plan);
            if (!handles)
                continue;
            request.handles = std::move(*handles);
        }
        try {
            asked.emplace_back(id, sendRequest(id, std::move(request), observeCommand(id), {}));
        } catch (const BrokerError&) {
            // journaled; the helper was dropped
        }
    }
    for (const auto& [id, requestId] : asked) {
        if (!helpers_.contains(id))
            continue;
        try {
            const platform::ReceivedFrame reply = awaitReply(id, requestId, observeCommand(id));
            applyObservation(id, std::get<protocol::ObservationReply>(reply.message), winsock);
        } catch (const BrokerError&) {
            // journaled; the helper was dropped
        }
    }
    return winsock;
}

std::string Broker::observeCommand(ProcessId process) const {
    return "observe " + processLabel(state_, process);
}

void Broker::applyObservation(ProcessId id, const protocol::ObservationReply& reply,
                              WinsockReadings& winsock) {
    const bool isWinsock = platformOf(id) == Platform::WinsockWine;
    if (isWinsock)
        winsock.answered.insert(id);
    if (!reply.unreadable.empty()) // closed behind the helper's back: its fd table tells
        fdTables_.markStale(state_.process(id)->pid.value());
    std::set<SocketId> ownersRead;
    for (const protocol::DescriptorObservation& seen : reply.descriptors) {
        const DescriptorRef ref{id, Handle(seen.descriptor.handle)};
        const DescriptorState* descriptor = state_.descriptor(ref);
        if (!descriptor || !descriptor->open)
            continue; // the /proc scan (Linux) or the Winsock count reconciles descriptors
        protocol::SocketDescription described = seen.descriptor.socket;
        if (isWinsock)
            described.identity = lineage_.identityOf(ref).value_or(0);
        if (described.identity == 0)
            continue;
        const SocketId socket = identify(described);
        if (isWinsock) {
            winsock.holders[socket].push_back(
                entry::Holder{id, state_.process(id)->pid, ref.handle});
            // Every handle names the same object: the first one read gives its count.
            winsock.handleCounts.emplace(socket, seen.handleCount);
        }
        std::vector<OptionReading> changed;
        for (const OptionReading& reading : seen.options) {
            auto known = descriptor->options.find(reading.option);
            if (known == descriptor->options.end() || known->second.value != reading.value ||
                known->second.errorCode != reading.errorCode)
                changed.push_back(reading);
        }
        if (changed.size() == 1)
            record(entry::OptionObserved{ref, changed[0].option, changed[0].value,
                                         changed[0].errorCode});
        else if (!changed.empty()) // a first reading, above all
            record(entry::OptionsObserved{ref, std::move(changed)});
        if (seen.ownerPid < 0 || !ownersRead.insert(socket).second)
            continue; // the OS cannot tell the owner (Winsock), or it was read already
        const Registration& believed = state_.socket(socket)->registration;
        if (believed.ownerPid.value() == seen.ownerPid)
            continue;
        const OsPid ownerPid(seen.ownerPid);
        const ProcessId owner = state_.processWithPid(ownerPid).value_or(ProcessId());
        if (believed.ownerPid.value() != 0)
            record(entry::Disagreement{"registration owner of socket S" +
                                           std::to_string(socket.value()),
                                       "pid " + std::to_string(believed.ownerPid.value()),
                                       "F_GETOWN_EX through " + describeDescriptor(state_, ref) +
                                           " names pid " + std::to_string(seen.ownerPid)});
        record(entry::OwnerObserved{socket, ref, ownerPid, owner});
    }
}

void Broker::observeCounts(const std::set<SocketId>& focus,
                           const sysmap::FdTablesRefresh& refresh) {
    // Processes outside our helpers that held a socket and have since ended. (Helpers end
    // through drop(), which says why.)
    for (const std::int64_t pid : refresh.ended) {
        const std::optional<ProcessId> id = state_.processWithPid(OsPid(pid));
        const ProcessState* process = id ? state_.process(*id) : nullptr;
        if (process && !process->helper && process->alive)
            record(entry::ProcessExited{*id, "no longer running"});
    }

    if (fdTables_.unreadableProcesses() != unreadableProcesses_) {
        unreadableProcesses_ = fdTables_.unreadableProcesses();
        if (unreadableProcesses_ > 0)
            record(entry::Problem{
                std::to_string(unreadableProcesses_) +
                " processes' descriptor tables could not be read (they belong to other users); "
                "descriptors they hold are not counted. Run as root to see them."});
    }

    std::set<SocketId> recount;
    for (const SocketId id : focus) {
        if (const SocketState* socket = state_.socket(id);
            socket && socket->open && !isLineageIdentity(socket->identity))
            recount.insert(id);
    }
    for (const std::uint64_t inode : refresh.changedInodes) {
        if (const std::optional<SocketId> id = state_.socketWithIdentity(inode);
            id && state_.socket(*id)->open)
            recount.insert(*id);
    }
    for (const std::int64_t pid : refresh.reread)
        reconcileFdTable(pid, recount);

    for (const SocketId id : recount) {
        const SocketState& socket = *state_.socket(id);
        std::vector<entry::Holder> holders;
        for (const sysmap::FdHolder& found : fdTables_.holdersOf(socket.identity)) {
            const OsPid pid(found.pid);
            if (const std::optional<ProcessId> process = state_.processWithPid(pid))
                holders.push_back(entry::Holder{*process, pid, Handle(found.fd)});
        }
        std::sort(holders.begin(), holders.end());
        const std::int32_t inFlight = std::int32_t(std::count_if(
            state_.duplications.begin(), state_.duplications.end(),
            [&](const auto& d) { return d.second.socket == id && d.second.inFlight; }));
        if (socket.countHistory.empty() || socket.count != std::int32_t(holders.size()) ||
            socket.inFlight != inFlight || socket.holders != holders)
            record(entry::CountObserved{id, std::int32_t(holders.size()), inFlight,
                                        std::move(holders)});
    }
}

void Broker::reconcileFdTable(std::int64_t pid, std::set<SocketId>& recount) {
    const std::span<const sysmap::SocketFd> table = fdTables_.socketsOf(pid);
    std::optional<ProcessId> process = state_.processWithPid(OsPid(pid));
    if (process && !state_.process(*process)->alive)
        process.reset();

    // Descriptors of session sockets the state does not know of.
    for (const sysmap::SocketFd& found : table) {
        const std::optional<SocketId> socket = state_.socketWithIdentity(found.inode);
        if (!socket || !state_.socket(*socket)->open ||
            isLineageIdentity(state_.socket(*socket)->identity))
            continue;
        if (!process) {
            process = ProcessId(nextProcess_++);
            record(entry::ProcessStarted{
                *process, OsPid(pid), sysmap::processName(pid), Platform::Linux, false, {}});
        }
        const DescriptorRef ref{*process, Handle(found.fd)};
        const DescriptorState* known = state_.descriptor(ref);
        if (known && known->open && known->socket == *socket)
            continue;
        if (known && known->open) {
            recount.insert(known->socket);
            record(entry::DescriptorClosed{ref, "observed reused"});
        }
        if (state_.process(*process)->helper)
            record(entry::Disagreement{
                describeDescriptor(state_, ref),
                "no descriptor of socket S" + std::to_string(socket->value()),
                "/proc/" + std::to_string(pid) + "/fd/" + std::to_string(found.fd) +
                    " -> socket:[" + std::to_string(found.inode) + "]"});
        record(entry::DescriptorOpened{ref, *socket, "observed"});
        recount.insert(*socket);
    }
    if (!process)
        return;

    // Descriptors believed open that the table does not show any more.
    std::vector<DescriptorRef> vanished;
    const auto first = state_.descriptors.lower_bound(DescriptorRef{*process, Handle(INT64_MIN)});
    for (auto it = first; it != state_.descriptors.end() && it->first.process == *process; ++it) {
        if (!it->second.open)
            continue;
        const SocketState& socket = *state_.socket(it->second.socket);
        if (!socket.open || isLineageIdentity(socket.identity))
            continue;
        const auto at = std::lower_bound(
            table.begin(), table.end(), it->first.handle.value(),
            [](const sysmap::SocketFd& entry, std::int64_t fd) { return entry.fd < fd; });
        if (at == table.end() || at->fd != it->first.handle.value() || at->inode != socket.identity)
            vanished.push_back(it->first);
    }
    const bool helper = state_.process(*process)->helper;
    for (const DescriptorRef& ref : vanished) {
        recount.insert(state_.descriptor(ref)->socket);
        if (helper)
            record(entry::Disagreement{describeDescriptor(state_, ref), "open",
                                       "not in /proc/" + std::to_string(pid) + "/fd"});
        record(entry::DescriptorClosed{ref, "observed gone"});
    }
}

void Broker::observeWinsockCounts(const WinsockReadings& readings) {
    // Descriptors believed open that their helper did not report any more.
    std::vector<DescriptorRef> vanished;
    for (const auto& [ref, descriptor] : state_.descriptors) {
        if (!descriptor.open || !readings.answered.contains(ref.process))
            continue;
        const auto holders = readings.holders.find(descriptor.socket);
        const DescriptorRef believed = ref;
        const bool seen = holders != readings.holders.end() &&
                          std::any_of(holders->second.begin(), holders->second.end(),
                                      [&](const entry::Holder& h) {
                                          return DescriptorRef{h.process, h.handle} == believed;
                                      });
        if (!seen)
            vanished.push_back(ref);
    }
    for (const DescriptorRef& ref : vanished) {
        record(entry::Disagreement{describeDescriptor(state_, ref), "open",
                                   "not among the SOCKETs its helper holds"});
        record(entry::DescriptorClosed{ref, "observed gone"});
    }

    for (const auto& [id, socket] : state_.sockets) {
        if (!socket.open || !isLineageIdentity(socket.identity))
            continue;
        // A holder that did not answer this time may hold the only handle: no reading then.
        const std::vector<const DescriptorState*> open = state_.descriptorsOf(id);
        if (std::any_of(open.begin(), open.end(), [&](const DescriptorState* d) {
                return !readings.answered.contains(d->ref.process);
            }))
            continue;
        // No helper holds a handle any more: the object went with the last one.
        const auto count = readings.handleCounts.find(id);
        const std::int32_t handles =
            count == readings.handleCounts.end() ? 0 : std::int32_t(count->second);
        std::vector<entry::Holder> holders;
        if (const auto found = readings.holders.find(id); found != readings.holders.end())
            holders = found->second;
        std::sort(holders.begin(), holders.end());
        if (!socket.countHistory.empty() && socket.count == handles && socket.holders == holders)
            continue;
        // WSADuplicateSocket makes the target's handle before the target calls WSASocket.
        const SocketId counted = id;
        const std::int32_t pending = std::int32_t(std::count_if(
            state_.duplications.begin(), state_.duplications.end(),
            [&](const auto& d) { return d.second.socket == counted && d.second.inFlight; }));
        const std::int32_t expected = std::int32_t(holders.size()) + pending;
        if (handles != 0 && handles != expected)
            record(entry::Disagreement{
                "handles of socket S" + std::to_string(id.value()),
                std::to_string(expected) + " (SOCKETs the helpers hold" +
                    (pending ? ", and handles made for targets that have not imported them" : "") +
                    ")",
                "HandleCount " + std::to_string(handles)});
        record(entry::CountObserved{id, handles, 0, std::move(holders)});
    }
}

// ---- the passage of time ---------------------------------------------------------------

void Broker::pumpUntil(Clock::time_point deadline, bool interruptible) {
    const Clock::time_point until = std::min(deadline, nextTick_);
    dispatch(std::chrono::ceil<milliseconds>(std::max<Clock::duration>(until - Clock::now(), {})),
             ProcessId(), 0, interruptible);
    if (Clock::now() >= nextTick_)
        observeTickSlice();
}

void Broker::setTickInterval(milliseconds interval) {
    options_.tickInterval = std::max(interval, milliseconds(1));
    nextTick_ = std::min(nextTick_, Clock::now() + tickSliceInterval());
}

void Broker::pump(milliseconds duration) {
    const Clock::time_point deadline = Clock::now() + duration;
    do {
        pumpUntil(deadline, true);
    } while (Clock::now() < deadline && !woken_);
}

bool Broker::waitUntil(const std::function<bool(const State&)>& condition, milliseconds bound) {
    const Clock::time_point deadline = Clock::now() + bound;
    while (!condition(state_)) {
        if (Clock::now() >= deadline)
            return false;
        pumpUntil(deadline, false);
    }
    return true;
}

} // namespace socklens::broker
