#include "broker/helper_set.h"

#include "broker/broker_error.h"
#include "platform/os_error.h"
#include "platform/posix/spinning_poll.h"

#include <algorithm>
#include <cerrno>
#include <poll.h>

namespace socklens::broker {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::string typeName(protocol::MessageType type) {
    return std::string(protocol::toString(type));
}

} // namespace

HelperSet::HelperSet(BrokerSession& session, milliseconds commandTimeout)
    : session_(session)
    , commandTimeout_(commandTimeout) {}

HelperSet::~HelperSet() = default;

std::vector<ProcessId> HelperSet::ids() const {
    std::vector<ProcessId> ids;
    for (const auto& [id, helper] : helpers_)
        ids.push_back(id);
    return ids;
}

HelperConnection& HelperSet::connection(ProcessId process, const std::string& command) {
    const auto it = helpers_.find(process);
    if (it == helpers_.end()) {
        const ProcessState* known = session_.state().process(process);
        if (known && !known->helper && known->alive)
            session_.fail(command, {}, "read-only",
                          session_.label(process) +
                              " is not a helper: socklens only observes it and sends it no "
                              "command");
        if (known)
            session_.fail(command, {}, "helper-gone",
                          session_.label(process) + " is not running any more (" +
                              known->exitReason + ")");
        session_.fail(command, {}, "no-such-process",
                      "there is no process P" + std::to_string(process.value()) +
                          " in this session");
    }
    return *it->second.connection;
}

ProcessId HelperSet::introduce(std::unique_ptr<HelperConnection> connection,
                               const std::string& name, Platform platform) {
    const ProcessId id = session_.newProcess();
    const milliseconds allowance = connection->startupAllowance();
    helpers_[id].connection = std::move(connection);
    const std::string command = "start helper " + name;
    // Until it joined, its end is told by the start command, not by a journal entry.
    auto refuseStart = [&](const std::string& fault) {
        drop(id, fault, true);
        throw BrokerError(name + " " + fault);
    };
    try {
        const auto reply = request(id, protocol::Hello{}, command, {}, allowance);
        const auto* hello = std::get_if<protocol::HelloReply>(&reply.message);
        if (!hello) // request() checked the type; this keeps the access checked too
            refuseStart("does not speak the socklens helper protocol");
        if (hello->platform != platform)
            refuseStart("says it is a " + std::string(toString(hello->platform)) +
                        " helper, but it was started as a " + std::string(toString(platform)) +
                        " one: refused");
        const auto joined = helpers_.find(id);
        if (joined == helpers_.end()) // its channel ended right behind the Hello
            throw BrokerError(name + " ended right after its Hello: " + startFailures_[id]);
        const HelperConnection& joining = *joined->second.connection;
        const OsPid kernelPid = joining.pid();
        // A Winsock helper is known by its Windows process id, the one WSADuplicateSocket
        // takes; a Linux helper's claim must be the kernel's, or socklens could be made to
        // signal an unrelated process.
        if (platform == Platform::Linux && hello->pid != kernelPid.value())
            refuseStart("claims to be pid " + std::to_string(hello->pid) + ", but " +
                        (joining.spawned() ? "the broker started it as pid "
                                           : "the kernel (SO_PEERCRED) says its pid is ") +
                        std::to_string(kernelPid.value()) + ": refused");
        const OsPid pid = platform == Platform::WinsockWine ? OsPid(hello->pid) : kernelPid;
        // Under Wine the process the broker started is the Windows process's Linux one.
        const OsPid linuxPid = platform == Platform::WinsockWine ? kernelPid : OsPid();
        session_.record(entry::ProcessStarted{id, pid, name, hello->platform, true,
                                              hello->osVersion, linuxPid});
    } catch (const BrokerError&) {
        helpers_.erase(id);
        throw;
    }
    return id;
}

std::uint32_t HelperSet::send(ProcessId process, protocol::Message message,
                              const std::string& command, std::span<const int> fds) {
    HelperConnection& helper = connection(process, command);
    const std::uint32_t id = helper.nextRequestId();
    std::visit(
        [id](auto& request) {
            if constexpr (requires { request.requestId; })
                request.requestId = id;
        },
        message);
    try {
        helper.send(message, fds, commandTimeout_);
        helpers_.at(process).pending = Pending{id, protocol::typeOf(message), Clock::now()};
    } catch (const platform::OsError& error) {
        const std::string label = session_.label(process);
        const bool stalled = error.codeName() == "ETIMEDOUT";
        drop(process,
             stalled ? "stopped reading its control channel: " + error.sentence()
                     : "its control channel failed: " + error.sentence(),
             true);
        session_.fail(command, error.call(), error.codeName(),
                      stalled
                          ? label + " stopped reading; it was dropped (" + error.sentence() + ")"
                          : "the helper is gone: " + error.sentence());
    }
    return id;
}

platform::ReceivedFrame HelperSet::await(ProcessId process, std::uint32_t requestId,
                                         const std::string& command, milliseconds allowance) {
    const milliseconds timeout = commandTimeout_ + allowance;
    std::optional<platform::ReceivedFrame> reply;
    std::optional<Pending> pending;
    std::chrono::microseconds spin{};
    if (const auto helper = helpers_.find(process); helper != helpers_.end()) {
        pending = helper->second.pending;
        if (helper->second.arrived &&
            protocol::requestIdOf(helper->second.arrived->message) == requestId)
            reply = std::exchange(helper->second.arrived, std::nullopt);
        else if (pending)
            spin = replySpin(helper->second, *pending);
    }
    if (!reply && pending)
        reply = dispatch(timeout, process, requestId, false, spin);
    if (const auto helper = helpers_.find(process); reply && pending && helper != helpers_.end())
        helper->second.answeredIn[pending->request] = Clock::now() - pending->sent;
    if (!reply) {
        const std::string label = session_.label(process);
        if (helpers_.contains(process)) {
            const std::string why = "did not answer \"" + command + "\" within " +
                                    std::to_string(timeout.count()) + " ms";
            drop(process, why + "; killed", true);
            session_.fail(command, {}, "timeout", label + " " + why);
        }
        const ProcessState* gone = session_.state().process(process);
        const auto failedStart = startFailures_.find(process);
        session_.fail(command, {}, "helper-gone",
                      label + " ended before answering: " +
                          (gone                                  ? gone->exitReason
                           : failedStart != startFailures_.end() ? failedStart->second
                                                                 : std::string("unknown reason")));
    }
    // It may have ended right after its reply (end of stream in the same read).
    if (const auto helper = helpers_.find(process); helper != helpers_.end())
        helper->second.pending.reset();
    if (const auto* failure = std::get_if<protocol::Failure>(&reply->message)) {
        if (!reply->fds.empty())
            refuse(process, command, "attached descriptors to a Failure");
        session_.fail(command, failure->call, failure->codeName, failure->sentence);
    }
    if (const std::optional<std::string> fault = misfit(*pending, *reply))
        refuse(process, command, *fault);
    return std::move(*reply);
}

void HelperSet::settle(ProcessId process, std::uint32_t requestId) {
    const auto helper = helpers_.find(process);
    if (helper == helpers_.end() || !helper->second.pending ||
        helper->second.pending->id != requestId)
        return;
    const Pending pending = *helper->second.pending;
    std::optional<platform::ReceivedFrame> reply;
    if (helper->second.arrived &&
        protocol::requestIdOf(helper->second.arrived->message) == requestId)
        reply = std::exchange(helper->second.arrived, std::nullopt);
    else
        reply = dispatch(commandTimeout_, process, requestId, false);
    const auto again = helpers_.find(process);
    if (again == helpers_.end())
        return; // it ended meanwhile, and said why
    again->second.pending.reset();
    // Nobody needs the answer, but it is still checked: a helper that breaks the protocol
    // goes, whether or not its command is still waiting.
    const bool failure = reply && std::holds_alternative<protocol::Failure>(reply->message);
    std::optional<std::string> fault;
    if (!reply)
        fault = "did not answer within " + std::to_string(commandTimeout_.count()) + " ms";
    else if (failure && !reply->fds.empty())
        fault = "broke the protocol: it attached descriptors to a Failure";
    else if (!failure)
        if (const std::optional<std::string> misfit = this->misfit(pending, *reply))
            fault = "broke the protocol: it " + *misfit;
    if (fault)
        drop(process, *fault, true);
}

platform::ReceivedFrame HelperSet::request(ProcessId process, protocol::Message message,
                                           const std::string& command, std::span<const int> fds,
                                           milliseconds allowance) {
    const std::uint32_t id = send(process, std::move(message), command, fds);
    return await(process, id, command, allowance);
}

std::optional<std::string> HelperSet::misfit(const Pending& pending,
                                             const platform::ReceivedFrame& frame) const {
    const std::optional<protocol::ReplyShape> shape = protocol::expectedReply(pending.request);
    const protocol::MessageType type = protocol::typeOf(frame.message);
    if (!shape || type != shape->type)
        return "answered " + typeName(pending.request) + " with a " + typeName(type);
    if (frame.fds.size() != shape->descriptors)
        return "attached " + std::to_string(frame.fds.size()) + " descriptor(s) to its " +
               typeName(type) + ", which carries " + std::to_string(shape->descriptors);
    return std::nullopt;
}

void HelperSet::refuse(ProcessId process, const std::string& command, const std::string& fault) {
    const std::string label = session_.label(process);
    drop(process, "broke the protocol: " + fault, true);
    session_.fail(command, {}, "protocol",
                  label + " broke the protocol: it " + fault + "; it was dropped");
}

void HelperSet::drop(ProcessId process, const std::string& why, bool killFirst) {
    const auto it = helpers_.find(process);
    if (it == helpers_.end())
        return;
    std::unique_ptr<HelperConnection> connection = std::move(it->second.connection);
    helpers_.erase(it);
    const std::string ending = connection->end(killFirst, milliseconds(1000));
    const std::string reason = why.empty() ? ending : why + " (" + ending + ")";
    if (session_.state().process(process))
        session_.record(entry::ProcessExited{process, reason});
    else
        startFailures_[process] = reason; // it never joined: the start command reports this
}

bool HelperSet::admit(ProcessId process, Helper& helper) {
    const UnsolicitedBudget::Verdict verdict = helper.budget.admit(Clock::now());
    if (verdict.announce)
        session_.record(entry::Problem{session_.label(process) + " " + *verdict.announce});
    return verdict.journal;
}

void HelperSet::readFrom(ProcessId id, ProcessId awaited, std::uint32_t requestId,
                         std::optional<platform::ReceivedFrame>& reply) {
    Helper& helper = helpers_.at(id);
    std::optional<std::string> fault;
    try {
        const bool open = helper.connection->readAvailable();
        while (!fault) {
            std::optional<platform::ReceivedFrame> frame = helper.connection->nextFrame();
            if (!frame)
                break;
            const protocol::MessageType type = protocol::typeOf(frame->message);
            const std::uint32_t frameId = protocol::requestIdOf(frame->message);
            if (const auto* event = std::get_if<protocol::NetworkEvent>(&frame->message)) {
                if (!frame->fds.empty())
                    fault = "attached descriptors to a NetworkEvent";
                else if (admit(id, helper) && eventHandler_)
                    fault = eventHandler_(id, *event);
            } else if (!protocol::isReply(type)) {
                fault = "sent a " + typeName(type) + ", which only the broker sends";
            } else if (id == awaited && frameId == requestId) {
                reply = std::move(frame);
            } else if (helper.pending && helper.pending->id == frameId && !helper.arrived) {
                helper.arrived = std::move(frame); // awaited next
            } else {
                fault =
                    "sent a " + typeName(type) + " for request " + std::to_string(frameId) +
                    ", which was not asked" +
                    (helper.pending ? " (request " + std::to_string(helper.pending->id) + " was)"
                                    : std::string());
            }
        }
        if (const std::size_t strays = helper.connection->takeStrayDescriptors();
            strays > 0 && admit(id, helper))
            session_.record(entry::Problem{session_.label(id) + " sent " + std::to_string(strays) +
                                           " descriptor(s) that no frame announced; the broker "
                                           "closed them"});
        if (fault)
            drop(id, "broke the protocol: it " + *fault, true);
        else if (!open)
            drop(id, {}, false);
    } catch (const protocol::ProtocolError& error) {
        drop(id, std::string("sent a bad frame: ") + error.what(), true);
    } catch (const platform::OsError& error) {
        drop(id, "its control channel failed: " + error.sentence(), true);
    }
}

std::chrono::microseconds HelperSet::replySpin(const Helper& helper, const Pending& pending) {
    const auto last = helper.answeredIn.find(pending.request);
    return last == helper.answeredIn.end() || last->second <= platform::kAnswerSpin
               ? platform::kAnswerSpin
               : std::chrono::microseconds();
}

std::optional<platform::ReceivedFrame> HelperSet::dispatch(milliseconds timeout, ProcessId awaited,
                                                           std::uint32_t requestId,
                                                           bool interruptible,
                                                           std::chrono::microseconds spin) {
    const Clock::time_point deadline = Clock::now() + timeout;
    const Clock::time_point spinUntil = Clock::now() + spin;
    for (;;) {
        const std::vector<ProcessId> polled = ids();
        std::vector<pollfd> fds;
        for (const ProcessId id : polled)
            fds.push_back(pollfd{helpers_.at(id).connection->pollFd(), POLLIN, 0});
        // Only pump() may be woken: a reply awaited or a condition waited for goes on.
        const bool wakeable = interruptible && wakeFd_ >= 0;
        if (wakeable)
            fds.push_back(pollfd{wakeFd_, POLLIN, 0});
        const auto remaining =
            std::max<Clock::duration>(deadline - Clock::now(), Clock::duration::zero());
        const int wait = int(std::chrono::ceil<milliseconds>(remaining).count());
        // With no helpers this only lets the time pass (pump() uses that).
        if (platform::pollSpinningFirst(fds, wait, spinUntil) < 0 && errno != EINTR)
            return std::nullopt;

        woken_ = wakeable && fds.back().revents != 0;
        std::optional<platform::ReceivedFrame> reply;
        for (std::size_t i = 0; i < polled.size(); ++i) {
            if (fds[i].revents != 0 && helpers_.contains(polled[i]))
                readFrom(polled[i], awaited, requestId, reply);
        }
        if (reply || woken_ || (awaited.valid() && !helpers_.contains(awaited)) ||
            Clock::now() >= deadline)
            return reply;
    }
}

} // namespace socklens::broker
