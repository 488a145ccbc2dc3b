#include "broker/broker.h"

#include "broker/broker_guarded.h"
#include "broker/descriptor_replies.h"
#include "broker/labels.h"
#include "broker/protocol_info.h"
#include "broker/winsock_backend.h"

#include <algorithm>

namespace socklens::broker {

namespace {

std::string printable(const std::vector<std::uint8_t>& bytes) {
    return std::string(bytes.begin(), bytes.end());
}

/// How many descriptors a CreateSocket of `kind` makes.
std::size_t descriptorsMadeBy(SocketKind kind) {
    switch (kind) {
    case SocketKind::TcpPair:
    case SocketKind::UnixPair:
        return 2;
    case SocketKind::TcpListener:
    case SocketKind::Udp:
        return 1;
    }
    return 1;
}

} // namespace

Broker::Broker(BrokerOptions options)
    : options_(withDefaultPaths(std::move(options)))
    , session_(options_.journalHistory)
    , helpers_(session_, options_.commandTimeout)
    , backends_(BackendContext{session_, helpers_, options_, replyReadings_,
                               [this] { observer_.observe(); }})
    , observer_(session_, helpers_, backends_, replyReadings_, options_.tickInterval) {
    helpers_.onEvent([this](ProcessId process,
                            const protocol::NetworkEvent& event) -> std::optional<std::string> {
        // -1: the signal queue overflowed (no descriptor). Any other handle may name a
        // descriptor the broker does not know (armed through another process's), but never
        // a negative one.
        if (event.handle < -1)
            return "sent an event for descriptor " + std::to_string(event.handle) +
                   ", which cannot exist";
        const DescriptorRef ref{process, Handle(event.handle)};
        const std::uint64_t identity =
            backends_.forProcess(process).identityOf(ref, event.identity);
        const std::optional<SocketId> socket = state().socketWithIdentity(identity);
        session_.record(entry::EventDelivered{ref, socket.value_or(SocketId()), event.events,
                                              event.registered, event.band});
        return std::nullopt;
    });
}

Broker::~Broker() = default;

std::vector<ProcessId> Broker::helpers() const {
    return helpers_.ids();
}

// ---- sockets ---------------------------------------------------------------------------

std::vector<DescriptorRef> Broker::createSocket(ProcessId process, SocketKind kind,
                                                std::uint32_t wsaFlags) {
    return guarded("create", [&] { return create(process, kind, 1, wsaFlags); });
}

std::vector<DescriptorRef> Broker::createSockets(ProcessId process, SocketKind kind,
                                                 std::size_t count, std::uint32_t wsaFlags) {
    return guarded("create", [&] { return create(process, kind, count, wsaFlags); });
}

std::vector<DescriptorRef> Broker::create(ProcessId process, SocketKind kind, std::size_t count,
                                          std::uint32_t wsaFlags) {
    const std::string command = "create " + (count == 1 ? "" : std::to_string(count) + " x ") +
                                std::string(toString(kind)) + " in " + session_.label(process) +
                                (wsaFlags ? " with " + describeWsaFlags(wsaFlags) : "");
    session_.record(entry::CommandIssued{command});
    KernelBackend& backend = backends_.forProcess(process);
    const BackendContext context = commandContext();
    std::vector<DescriptorRef> refs;
    std::set<SocketId> created;
    for (std::size_t i = 0; i < count; ++i) {
        protocol::CreateSocket request;
        request.kind = kind;
        request.wsaFlags = wsaFlags;
        const auto reply = helpers_.request(process, request, command);
        for (const DescriptorRef& ref :
             adoptReply(context, backend, process, reply, command, DescriptorOrigin::Created,
                        descriptorsMadeBy(kind))) {
            refs.push_back(ref);
            created.insert(state().descriptor(ref)->socket);
        }
    }
    observer_.observe(created);
    return refs;
}

DescriptorRef Broker::duplicate(const DescriptorRef& source, ProcessId target) {
    return guarded("duplicate", [&] { return duplicate(source, target, false); });
}

DescriptorRef Broker::duplicate(const DescriptorRef& source, ProcessId target, bool handOff) {
    const std::string command =
        "duplicate " + session_.describe(source) + " into " + session_.label(target);
    session_.record(entry::CommandIssued{command});
    const BackendContext context = commandContext();
    // An attached process is no helper: its descriptor is copied out with pidfd_getfd.
    const ProcessState* from = state().process(source.process);
    const DescriptorState* held = state().descriptor(source);
    const SocketId socket = from && from->foreign && held && held->open
                                ? held->socket
                                : sessionDescriptorOf(context, source, command).socket;
    helpers_.connection(target, command);
    KernelBackend& backend = backends_.forProcess(source.process);
    const Platform targetPlatform = backends_.forProcess(target).platform();
    if (targetPlatform != backend.platform())
        session_.fail(command, {}, "different-kernels",
                      "cannot duplicate " + session_.describe(source) + " into " +
                          session_.label(target) +
                          ": objects of different kernels cannot be shared. A descriptor of a " +
                          std::string(toString(backend.platform())) +
                          " helper names an object of its own kernel, and the other helper runs "
                          "on " +
                          std::string(toString(targetPlatform)));

    const bool sameProcess = source.process == target;
    const DuplicationId id = session_.newDuplication();
    session_.record(entry::DuplicationStarted{id, socket, source, target,
                                              sameProcess ? DuplicationMechanism::DupInProcess
                                                          : backend.duplicationMechanism(),
                                              handOff});
    const std::uint64_t identity = state().socket(socket)->identity;
    try {
        DescriptorRef result;
        if (sameProcess) {
            protocol::DupDescriptor dup;
            dup.handle = source.handle.value();
            const auto reply = helpers_.request(target, dup, command);
            result = adoptReply(context, backend, target, reply, command, DescriptorOrigin::Dup, 1,
                                identity)
                         .front();
            session_.record(entry::HandoffStep{id, 8, HandoffActor::Target,
                                               backend.inProcessCopyText(result.handle.value()),
                                               identityText(identity)});
        } else {
            result = backend.duplicateAcross(id, source, target, command);
            handoffEnds_.emplace(source, id);
            handoffEnds_.emplace(result, id);
        }
        session_.record(entry::DuplicationFinished{id, result, {}});
        observer_.observe({socket});
        return result;
    } catch (const BrokerError& error) {
        session_.record(entry::DuplicationFinished{id, DescriptorRef(), error.what()});
        throw;
    }
}

DescriptorRef Broker::handOff(const DescriptorRef& source, ProcessId target) {
    return guarded("hand off", [&] {
        if (const ProcessState* from = state().process(source.process); from && from->foreign)
            session_.fail("hand off " + session_.describe(source), {}, "read-only",
                          session_.label(source.process) +
                              " is attached read-only: nothing is closed in it, so its "
                              "descriptors can be duplicated, not handed off");
        const DescriptorRef result = duplicate(source, target, true);
        session_.record(entry::CommandIssued{"hand off: close " + session_.describe(source) +
                                             " in the source"});
        close(source);
        return result;
    });
}

std::vector<std::uint8_t> Broker::duplicateForPid(const DescriptorRef& source, OsPid pid) {
    return guarded("WSADuplicateSocket",
                   [&] { return backends_.winsock().duplicateForPid(source, pid); });
}

void Broker::reuseProtocolInfo(const DescriptorRef& duplicated) {
    guarded("reusing protocol info", [&] { backends_.winsock().reuseProtocolInfo(duplicated); });
    throw BrokerError("unreachable: reuseProtocolInfo always refuses"); // for [[noreturn]]
}

void Broker::noteHandoffStep(const DescriptorRef& descriptor, std::int32_t number,
                             const std::string& text) {
    const auto [first, last] = handoffEnds_.equal_range(descriptor);
    for (auto it = first; it != last; ++it) {
        const auto found = state().duplications.find(it->second);
        if (found == state().duplications.end())
            continue;
        const DuplicationState& duplication = found->second;
        const bool done = std::any_of(duplication.steps.begin(), duplication.steps.end(),
                                      [&](const HandoffStepState& s) { return s.step == number; });
        if (!done && duplication.finished && duplication.failure.empty()) {
            const HandoffActor actor =
                duplication.result == descriptor ? HandoffActor::Target : HandoffActor::Source;
            session_.record(entry::HandoffStep{it->second, number, actor, text, {}});
            return;
        }
    }
}

void Broker::observeSocketOf(const DescriptorRef& descriptor) {
    if (const DescriptorState* known = state().descriptor(descriptor))
        observer_.observe({known->socket});
}

// ---- commands through one descriptor ---------------------------------------------------

template <class OptionRequest>
OptionReading Broker::requestOption(const DescriptorRef& descriptor, const OptionRequest& request,
                                    const std::string& command) {
    const auto reply = helpers_.request(descriptor.process, request, command);
    const OptionReading read =
        replyAs<protocol::OptionReply>(helpers_, descriptor.process, reply, command).reading;
    if (read.option != request.option)
        helpers_.refuse(descriptor.process, command,
                        "answered for " + std::string(toString(read.option)) + " when asked for " +
                            std::string(toString(request.option)));
    return read;
}

std::int64_t Broker::setOption(const DescriptorRef& descriptor, SocketOption option,
                               std::int64_t value) {
    return guarded("setsockopt", [&] {
        const std::string command = "setsockopt(" + std::string(toString(option)) + ", " +
                                    std::to_string(value) + ") through " +
                                    session_.describe(descriptor);
        session_.record(entry::CommandIssued{command});
        sessionDescriptorOf(commandContext(), descriptor, command);
        protocol::SetOption set;
        set.handle = descriptor.handle.value();
        set.option = option;
        set.value = value;
        const OptionReading read = requestOption(descriptor, set, command);
        session_.record(entry::OptionSet{descriptor, option, value, read.value});
        observeSocketOf(descriptor); // through every descriptor (C5)
        return read.value;
    });
}

std::int64_t Broker::getOption(const DescriptorRef& descriptor, SocketOption option) {
    return guarded("getsockopt", [&] {
        const std::string command = "getsockopt(" + std::string(toString(option)) + ") through " +
                                    session_.describe(descriptor);
        session_.record(entry::CommandIssued{command});
        sessionDescriptorOf(commandContext(), descriptor, command);
        protocol::GetOption get;
        get.handle = descriptor.handle.value();
        get.option = option;
        const OptionReading read = requestOption(descriptor, get, command);
        session_.record(entry::OptionObserved{descriptor, option, read.value, read.errorCode});
        return read.value;
    });
}

void Broker::registerEvents(const DescriptorRef& descriptor, EventMask mask,
                            std::optional<RegistrationMechanism> mechanism) {
    guarded("register", [&] {
        const RegistrationMechanism chosen =
            mechanism.value_or(backends_.forProcess(descriptor.process).defaultRegistration());
        const std::string command = "register " + eventMaskToString(mask) + " through " +
                                    session_.describe(descriptor) + " with " +
                                    std::string(toString(chosen));
        session_.record(entry::CommandIssued{command});
        const SocketId socket = sessionDescriptorOf(commandContext(), descriptor, command).socket;
        protocol::RegisterEvents registration;
        registration.handle = descriptor.handle.value();
        registration.mask = mask;
        registration.mechanism = chosen;
        helpers_.request(descriptor.process, registration, command);
        session_.record(entry::RegistrationMade{socket, descriptor, mask, chosen});
        observer_.observe({socket});
    });
}

std::size_t Broker::send(const DescriptorRef& descriptor, const std::string& bytes,
                         bool fromSecondThread) {
    return guarded("send", [&] {
        const std::string command = "send " + std::to_string(bytes.size()) + " byte(s) through " +
                                    session_.describe(descriptor) +
                                    (fromSecondThread ? " from a second thread" : "");
        session_.record(entry::CommandIssued{command});
        sessionDescriptorOf(commandContext(), descriptor, command);
        protocol::Send request;
        request.handle = descriptor.handle.value();
        request.bytes.assign(bytes.begin(), bytes.end());
        request.fromSecondThread = fromSecondThread;
        const auto reply = helpers_.request(descriptor.process, request, command);
        const auto& sent =
            replyAs<protocol::SendReply>(helpers_, descriptor.process, reply, command);
        if (sent.sent > bytes.size())
            helpers_.refuse(descriptor.process, command,
                            "says it sent " + std::to_string(sent.sent) + " of " +
                                std::to_string(bytes.size()) + " byte(s)");
        session_.record(entry::DataSent{descriptor, bytes.substr(0, sent.sent),
                                        std::int32_t(sent.threadId), fromSecondThread});
        noteHandoffStep(descriptor, 9,
                        "data exchange: " + session_.describe(descriptor) + " sends " +
                            std::to_string(sent.sent) + " byte(s)");
        observeSocketOf(descriptor);
        return std::size_t(sent.sent);
    });
}

std::string Broker::receive(const DescriptorRef& descriptor, std::size_t maxBytes) {
    return guarded("receive", [&] {
        const std::string command = "receive through " + session_.describe(descriptor);
        session_.record(entry::CommandIssued{command});
        sessionDescriptorOf(commandContext(), descriptor, command);
        protocol::Receive request;
        request.handle = descriptor.handle.value();
        request.maxBytes = std::uint32_t(std::min<std::size_t>(maxBytes, 1u << 20));
        // Data sent a moment ago may still be on its way, even over loopback.
        request.waitMs =
            std::uint32_t(std::min(options_.receiveWait, options_.commandTimeout / 2).count());
        const auto reply = helpers_.request(descriptor.process, request, command);
        const auto& received =
            replyAs<protocol::ReceiveReply>(helpers_, descriptor.process, reply, command);
        if (received.bytes.size() > request.maxBytes)
            helpers_.refuse(descriptor.process, command,
                            "returned " + std::to_string(received.bytes.size()) +
                                " byte(s) where at most " + std::to_string(request.maxBytes) +
                                " were asked for");
        const std::string bytes = printable(received.bytes);
        session_.record(entry::DataReceived{descriptor, bytes});
        noteHandoffStep(descriptor, 9,
                        "data exchange: " + session_.describe(descriptor) + " receives " +
                            std::to_string(bytes.size()) + " byte(s)");
        observeSocketOf(descriptor);
        return bytes;
    });
}

void Broker::close(const DescriptorRef& descriptor) {
    guarded("close", [&] {
        const std::string command = "close " + session_.describe(descriptor);
        session_.record(entry::CommandIssued{command});
        sessionDescriptorOf(commandContext(), descriptor, command);
        protocol::CloseDescriptor request;
        request.handle = descriptor.handle.value();
        helpers_.request(descriptor.process, request, command);
        noteHandoffStep(descriptor, 10, session_.describe(descriptor) + " closes its descriptor");
        handoffEnds_.erase(descriptor); // a later descriptor with its number is another one
        session_.record(entry::DescriptorClosed{descriptor, DescriptorEnd::Closed});
        observeSocketOf(descriptor);
    });
}

void Broker::setInheritable(const DescriptorRef& descriptor, bool inheritable) {
    guarded("set the inherit flag", [&] {
        const ProcessState* process = session_.state().process(descriptor.process);
        const bool winsock = process && process->platform == Platform::WinsockWine;
        const std::string call =
            winsock
                ? (inheritable ? "SetHandleInformation(HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT)"
                               : "SetHandleInformation(HANDLE_FLAG_INHERIT, 0)")
                : (inheritable ? "fcntl(F_SETFD, 0)" : "fcntl(F_SETFD, FD_CLOEXEC)");
        const std::string command = std::string(inheritable ? "inherit " : "no-inherit ") +
                                    session_.describe(descriptor) + ": " + call;
        session_.record(entry::CommandIssued{command});
        sessionDescriptorOf(commandContext(), descriptor, command);
        protocol::SetInheritable request;
        request.handle = descriptor.handle.value();
        request.inheritable = inheritable ? 1 : 0;
        noteReadingOf(commandContext(), descriptor,
                      helpers_.request(descriptor.process, request, command), command);
        observeSocketOf(descriptor);
    });
}

// ---- observation and time --------------------------------------------------------------

void Broker::observe(const std::set<SocketId>& focus) {
    guarded("observing", [&] { observer_.observe(focus); });
}

void Broker::observeAll() {
    guarded("observing", [&] { observer_.observeAll(); });
}

void Broker::addObservationListener(std::function<void()> listener) {
    observer_.addListener(std::move(listener));
}

void Broker::pump(std::chrono::milliseconds duration) {
    guarded("waiting for helpers", [&] { observer_.pump(duration); });
}

void Broker::setTickInterval(std::chrono::milliseconds interval) {
    options_.tickInterval = std::max(interval, std::chrono::milliseconds(1));
    observer_.setTickInterval(interval);
}

bool Broker::waitUntil(const std::function<bool(const State&)>& condition,
                       std::chrono::milliseconds bound) {
    return guarded("waiting", [&] { return observer_.waitUntil(condition, bound); });
}

} // namespace socklens::broker
