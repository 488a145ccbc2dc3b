#include "model/entry_text.h"

#include "model/socket_identity.h"

namespace socklens {

namespace {

struct Describer {
    const State& state;

    std::string process(ProcessId id) const {
        const ProcessState* known = state.process(id);
        return known ? known->name : "P" + std::to_string(id.value());
    }
    std::string descriptor(const DescriptorRef& ref) const {
        return process(ref.process) + ":" + std::to_string(ref.handle.value());
    }
    static std::string socket(SocketId id) { return "S" + std::to_string(id.value()); }

    std::string operator()(const entry::CommandIssued& e) const { return "> " + e.text; }
    std::string operator()(const entry::CommandFailed& e) const {
        return "! " + e.command + " failed" + (e.codeName.empty() ? "" : " [" + e.codeName + "]") +
               ": " + e.sentence;
    }
    std::string operator()(const entry::ProcessStarted& e) const {
        return (e.helper ? "helper " : "process ") + e.name + " (pid " +
               std::to_string(e.pid.value()) +
               (e.linuxPid.value() ? ", Linux pid " + std::to_string(e.linuxPid.value()) : "") +
               ", " + std::string(toString(e.platform)) + (e.helper ? "" : ", not a helper") +
               ") joined";
    }
    std::string operator()(const entry::ProcessAttached& e) const {
        return process(e.process) + " attached read-only (" + e.how + ")" +
               (e.limits.empty() ? "" : ": " + e.limits);
    }
    std::string operator()(const entry::DescriptorObserved& e) const {
        return descriptor(e.descriptor) +
               (e.closeOnExec ? " close-on-exec" : " inherited by exec") +
               (e.nonBlocking ? ", O_NONBLOCK" : "") + (e.async ? ", O_ASYNC" : "") + ", queues " +
               std::to_string(e.receiveQueue) + "/" + std::to_string(e.sendQueue) +
               (e.epoll.empty() ? "" : ", " + e.epoll);
    }
    std::string operator()(const entry::InheritanceObserved& e) const {
        return descriptor(e.descriptor) + " " + std::string(toString(e.inheritance)) +
               " (read through it)";
    }
    std::string operator()(const entry::ProvenanceObserved& e) const {
        return descriptor(e.descriptor) + " of " + socket(e.socket) + ": " + e.provenance + " (" +
               e.evidence + ")";
    }
    std::string operator()(const entry::ProcessExited& e) const {
        return process(e.process) + " ended: " + e.reason;
    }
    std::string operator()(const entry::SocketIdentified& e) const {
        return socket(e.socket) + " is " + identityText(e.identity) + " " +
               kindText(e.kind, e.family, e.type) + " " + e.local +
               (e.peer.empty() ? "" : " -> " + e.peer) +
               (e.tcpState.empty() ? "" : " " + e.tcpState);
    }
    std::string operator()(const entry::DescriptorOpened& e) const {
        return descriptor(e.descriptor) + " opened (" + std::string(toString(e.how)) + ") for " +
               socket(e.socket);
    }
    std::string operator()(const entry::DescriptorClosed& e) const {
        return descriptor(e.descriptor) + " closed (" + std::string(toString(e.how)) + ")";
    }
    std::string operator()(const entry::DuplicationStarted& e) const {
        return "duplication D" + std::to_string(e.duplication.value()) + ": " +
               descriptor(e.source) + " -> " +
               (e.target.valid() ? process(e.target) : "a process outside the session") + " by " +
               std::string(toString(e.mechanism));
    }
    std::string operator()(const entry::HandoffStep& e) const {
        return "  step " + std::to_string(e.step) + " (" + std::string(toString(e.actor)) +
               "): " + e.text + (e.detail.empty() ? "" : " [" + e.detail + "]");
    }
    std::string operator()(const entry::ReferenceInFlight& e) const {
        const auto duplication = state.duplications.find(e.duplication);
        if (duplication != state.duplications.end() &&
            duplication->second.mechanism == DuplicationMechanism::WsaDuplicateSocket)
            return "  a handle to " + socket(e.socket) +
                   " now exists in the target, before it calls WSASocket";
        return "  a reference to " + socket(e.socket) + " is in flight (in an SCM_RIGHTS message)";
    }
    std::string operator()(const entry::DuplicationFinished& e) const {
        return e.failure.empty() ? "duplication D" + std::to_string(e.duplication.value()) +
                                       " done: " + descriptor(e.result)
                                 : "duplication D" + std::to_string(e.duplication.value()) +
                                       " failed: " + e.failure;
    }
    std::string operator()(const entry::OptionSet& e) const {
        return "setsockopt " + std::string(toString(e.option)) + " through " +
               descriptor(e.descriptor) + ": requested " + std::to_string(e.requested) +
               ", effective " + std::to_string(e.effective);
    }
    std::string operator()(const entry::OptionObserved& e) const {
        return "  " + descriptor(e.descriptor) + " reads " +
               reading({e.option, e.value, e.errorCode});
    }
    std::string operator()(const entry::OptionsObserved& e) const {
        std::string text = "  " + descriptor(e.descriptor) + " reads ";
        for (std::size_t i = 0; i < e.readings.size(); ++i)
            text += (i ? ", " : "") + reading(e.readings[i]);
        return text;
    }
    static std::string reading(const OptionReading& read) {
        return std::string(toString(read.option)) + " = " +
               (read.errorCode ? "error " + std::to_string(read.errorCode)
                               : describeOptionValue(read.option, read.value));
    }
    std::string operator()(const entry::RegistrationMade& e) const {
        return descriptor(e.through) + " registers " + eventMaskToString(e.mask) + " on " +
               socket(e.socket) + " (" + std::string(toString(e.mechanism)) + ")";
    }
    std::string operator()(const entry::OwnerObserved& e) const {
        return "  OS: registration owner of " + socket(e.socket) + " read through " +
               descriptor(e.through) + " is pid " + std::to_string(e.ownerPid.value()) +
               (e.owner.valid() ? " (" + process(e.owner) + ")" : "");
    }
    std::string operator()(const entry::EventDelivered& e) const {
        return "  OS delivered " + eventMaskToString(e.events) + " to " + descriptor(e.descriptor) +
               " (registered " + eventMaskToString(e.registered) + ")";
    }
    std::string operator()(const entry::DataSent& e) const {
        return descriptor(e.descriptor) + " sent \"" + e.bytes + "\"" +
               (e.secondThread ? " from a second thread (tid " + std::to_string(e.thread) + ")"
                               : "");
    }
    std::string operator()(const entry::DataReceived& e) const {
        return descriptor(e.descriptor) + " received \"" + e.bytes + "\"";
    }
    std::string operator()(const entry::CountObserved& e) const {
        if (e.inferred)
            return "  " + socket(e.socket) +
                   " has no handle left in any helper (inferred: Winsock's HandleCount can only "
                   "be read through a handle)";
        const SocketState* known = state.socket(e.socket);
        const bool winsock = known && isLineageIdentity(known->identity);
        std::string text = "  OS: " + socket(e.socket) + " has " + std::to_string(e.count) +
                           (winsock ? " handle(s) (HandleCount)" : " descriptor(s)");
        if (e.inFlight)
            text += " + " + std::to_string(e.inFlight) + " in flight";
        std::string holders;
        for (const entry::Holder& holder : e.holders)
            holders += (holders.empty() ? "" : ", ") + process(holder.process) + ":" +
                       std::to_string(holder.handle.value()) +
                       (holder.inheritance == entry::Inheritance::Unknown
                            ? ""
                            : " " + std::string(toString(holder.inheritance)));
        return text + (holders.empty() ? "" : " [" + holders + "]");
    }
    std::string operator()(const entry::SocketLifetimeObserved& e) const {
        const SocketState* known = state.socket(e.socket);
        const std::string inode = known ? identityText(known->identity) : socket(e.socket);
        std::string text =
            e.listed
                ? "  OS: " + socket(e.socket) +
                      " is alive with no descriptor: the kernel still lists " + inode +
                      (e.kernelState.empty() ? "" : " (" + e.kernelState + ")") +
                      "; a reference may be in flight in a Unix socket message"
                : "  OS: " + socket(e.socket) + " is gone: the kernel no longer lists " + inode;
        return e.note.empty() ? text : text + " (" + e.note + ")";
    }
    std::string operator()(const entry::Disagreement& e) const {
        return "  DISAGREEMENT " + e.subject + ": believed " + e.believed + ", observed " +
               e.observed;
    }
    std::string operator()(const entry::Problem& e) const { return "! " + e.sentence; }
    std::string operator()(const entry::ScenarioStarted& e) const {
        return "scenario " + e.name + " (" + e.source + ")";
    }
    std::string operator()(const entry::StepStarted& e) const {
        std::string claims;
        for (const std::string& claim : e.claims.list())
            claims += (claims.empty() ? " [" : " ") + claim;
        return "line " + std::to_string(e.line) + ": " + e.text +
               (claims.empty() ? "" : claims + "]");
    }
    std::string operator()(const entry::StepFinished& e) const {
        return std::string(e.passed ? "  ok: " : "  FAILED: ") + e.outcome;
    }
    std::string operator()(const entry::ScenarioFinished& e) const {
        return std::string(e.passed ? "PASSED: " : "FAILED: ") + e.summary;
    }
};

} // namespace

std::string describeEntry(const JournalEntry& entry, const State& state) {
    return std::visit(Describer{state}, entry.payload);
}

} // namespace socklens
