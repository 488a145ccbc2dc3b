#include "broker/observer.h"

#include "broker/broker_error.h"
#include "broker/descriptor_replies.h"

#include <algorithm>
#include <climits>

namespace socklens::broker {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How many descriptors one tick reads the options and owner of, in all helpers together: all
// of them in a session of this size or smaller; beyond, each in turn every few ticks (at
// 4 096, every 4th tick). Options change rarely and a command's own observation reads its
// sockets at once; reading 4 096 × the option set ten times a second kept the helpers busy
// for half of every tick (docs/performance.md).
constexpr std::size_t kObserveBudget = 1024;
// How many /proc/PID/fd entries one tick reads in turn, besides the tables that changed.
constexpr std::size_t kScanBudget = 4096;
constexpr std::size_t kEverything = SIZE_MAX;
// A tick is done in this many slices, evenly apart: each asks its share of the helpers, and
// each checks every process's descriptor count, so no slice keeps the engine long and a
// close shows within a slice.
constexpr std::size_t kTickSlices = 4;

} // namespace

Observer::Observer(BrokerSession& session, HelperSet& helpers, KernelBackends& backends,
                   ReplyReadings& readInReplies, milliseconds tickInterval)
    : session_(session)
    , helpers_(helpers)
    , backends_(backends)
    , readInReplies_(readInReplies)
    , tickInterval_(tickInterval)
    , nextTick_(Clock::now() + tickSliceInterval()) {}

void Observer::observe(const std::set<SocketId>& focus) {
    Plan plan;
    if (focus.empty()) { // a whole tick at once
        plan.slice = shareOfObserveBudget();
        plan.scanBudget = kScanBudget;
    } else { // a command: what it touched
        plan.focus = focus;
    }
    observe(plan);
}

void Observer::observeAll() {
    observe(Plan{{}, kEverything, 1, 0, kEverything});
}

void Observer::observeTickSlice() {
    observe(Plan{{}, shareOfObserveBudget(), kTickSlices, tickSlice_, kScanBudget / kTickSlices});
    tickSlice_ = (tickSlice_ + 1) % kTickSlices;
}

std::size_t Observer::shareOfObserveBudget() const {
    return std::max<std::size_t>(kObserveBudget / std::max<std::size_t>(helpers_.size(), 1), 1);
}

milliseconds Observer::tickSliceInterval() const {
    return std::max(tickInterval_ / std::int64_t(kTickSlices), milliseconds(1));
}

void Observer::addListener(std::function<void()> listener) {
    listeners_.push_back(std::move(listener));
}

void Observer::observe(const Plan& plan) {
    // The helpers are asked first and read while the backends count (on another core): the
    // observation then takes the longer of the two, not their sum. Their answers are applied
    // after the counts, so a close is journaled before any reading that follows it.
    const std::vector<Asked> asked = askHelpers(plan);
    try {
        for (KernelBackend* backend : backends_.active())
            backend->beforeReadings(plan.focus, plan.scanBudget);
    } catch (...) {
        for (const Asked& question : asked) {
            if (question.requestId)
                helpers_.settle(question.process, *question.requestId);
        }
        throw;
    }
    std::map<KernelBackend*, std::set<ProcessId>> answered = applyAnswers(asked);
    for (KernelBackend* backend : backends_.active())
        backend->afterReadings(answered[backend]);
    nextTick_ = Clock::now() + tickSliceInterval();
    for (const auto& listener : listeners_)
        listener();
}

std::vector<Observer::Asked> Observer::askHelpers(const Plan& plan) {
    // Every helper is asked before any answer is awaited, so they read at the same time.
    std::vector<Asked> asked;
    std::size_t index = 0;
    for (const ProcessId id : helpers_.ids()) {
        KernelBackend& backend = backends_.forProcess(id);
        std::vector<protocol::DescriptorObservation> readInReplies = readInReplies_.take(id);
        protocol::Observe request;
        if (!backend.readsEveryHandle()) {
            if (index++ % plan.stride != plan.offset)
                continue;
            std::optional<std::vector<std::int64_t>> handles = handlesToObserve(id, plan);
            if (handles && !handles->empty() && !readInReplies.empty()) {
                std::erase_if(*handles, [&](std::int64_t handle) {
                    return std::any_of(readInReplies.begin(), readInReplies.end(),
                                       [&](const protocol::DescriptorObservation& read) {
                                           return read.descriptor.handle == handle;
                                       });
                });
                if (handles->empty())
                    handles.reset();
            }
            if (!handles) {
                if (!readInReplies.empty())
                    asked.push_back(
                        Asked{id, &backend, std::nullopt, {}, std::move(readInReplies)});
                continue;
            }
            request.handles = std::move(*handles);
        }
        if (request.handles.empty())
            readInReplies.clear(); // it reads all of them again
        try {
            std::vector<std::int64_t> handles = request.handles;
            std::sort(handles.begin(), handles.end());
            const std::uint32_t requestId =
                helpers_.send(id, std::move(request), "observe " + session_.label(id));
            asked.push_back(
                Asked{id, &backend, requestId, std::move(handles), std::move(readInReplies)});
        } catch (const BrokerError&) {
            // journaled; the helper was dropped
        }
    }
    readInReplies_.clear(); // those of helpers this observation skipped are old after it
    return asked;
}

std::map<KernelBackend*, std::set<ProcessId>>
Observer::applyAnswers(const std::vector<Asked>& asked) {
    std::map<KernelBackend*, std::set<ProcessId>> answered;
    for (const Asked& question : asked) {
        if (!helpers_.contains(question.process))
            continue;
        const std::string command = "observe " + session_.label(question.process);
        try {
            // Read before the question's answer: applied first, so a later value wins.
            if (!question.readInReplies.empty())
                apply(question.process, *question.backend,
                      protocol::ObservationReply{0, question.readInReplies, {}}, {}, command);
            if (question.requestId) {
                const platform::ReceivedFrame reply =
                    helpers_.await(question.process, *question.requestId, command);
                apply(
                    question.process, *question.backend,
                    replyAs<protocol::ObservationReply>(helpers_, question.process, reply, command),
                    question.handles, command);
            }
            answered[question.backend].insert(question.process);
        } catch (const BrokerError&) {
            // journaled; the helper was dropped
        }
    }
    return answered;
}

std::optional<std::vector<std::int64_t>> Observer::handlesToObserve(ProcessId process,
                                                                    const Plan& plan) {
    const std::map<Handle, SocketId>& open = session_.open().of(process);
    std::vector<std::int64_t> handles;
    if (!plan.focus.empty()) {
        for (const SocketId socket : plan.focus) {
            for (const DescriptorRef& ref : session_.open().of(socket)) {
                if (ref.process == process)
                    handles.push_back(ref.handle.value());
            }
        }
        std::sort(handles.begin(), handles.end());
    }
    if (plan.slice == 0)
        return handles.empty() ? std::nullopt : std::optional(handles);
    if (open.size() <= plan.slice)
        return std::vector<std::int64_t>{}; // all of them
    // The next `slice` after the last one read, wrapping around.
    Handle& cursor = cursor_[process];
    auto next = open.upper_bound(cursor);
    for (std::size_t taken = 0; taken < plan.slice; ++taken, ++next) {
        if (next == open.end())
            next = open.begin();
        handles.push_back(next->first.value());
        cursor = next->first;
    }
    return handles;
}

void Observer::apply(ProcessId id, KernelBackend& backend, const protocol::ObservationReply& reply,
                     const std::vector<std::int64_t>& asked, const std::string& command) {
    if (!asked.empty()) { // sorted; empty: all of them were asked for
        for (const protocol::DescriptorObservation& seen : reply.descriptors) {
            if (!std::binary_search(asked.begin(), asked.end(), seen.descriptor.handle))
                helpers_.refuse(id, command,
                                "reported descriptor " + std::to_string(seen.descriptor.handle) +
                                    ", which it was not asked to read");
        }
    }
    if (!reply.unreadable.empty())
        backend.unreadable(id);
    const State& state = session_.state();
    std::set<SocketId> ownersRead;
    for (const protocol::DescriptorObservation& seen : reply.descriptors) {
        const DescriptorRef ref{id, Handle(seen.descriptor.handle)};
        const DescriptorState* descriptor = state.descriptor(ref);
        if (!descriptor || !descriptor->open)
            continue; // the backend's count source reconciles descriptors
        protocol::SocketDescription described = seen.descriptor.socket;
        described.identity = backend.identityOf(ref, described.identity);
        if (described.identity == 0)
            continue;
        const SocketId socket = session_.identify(described);
        backend.reading(ref, socket, seen);
        journalOptions(ref, *descriptor, seen.options);
        if (seen.inheritance != Inheritance::Unknown && seen.inheritance != descriptor->inheritance)
            session_.record(entry::InheritanceObserved{ref, seen.inheritance});
        if (seen.ownerPid < 0 || !ownersRead.insert(socket).second)
            continue; // the OS cannot tell the owner (Winsock), or it was read already
        journalOwner(socket, ref, seen.ownerPid);
    }
}

void Observer::journalOptions(const DescriptorRef& ref, const DescriptorState& descriptor,
                              const std::vector<OptionReading>& read) {
    std::vector<OptionReading> changed;
    for (const OptionReading& reading : read) {
        auto known = descriptor.options.find(reading.option);
        if (known == descriptor.options.end() || known->second.value != reading.value ||
            known->second.errorCode != reading.errorCode)
            changed.push_back(reading);
    }
    if (changed.size() == 1)
        session_.record(
            entry::OptionObserved{ref, changed[0].option, changed[0].value, changed[0].errorCode});
    else if (!changed.empty()) // a first reading, above all
        session_.record(entry::OptionsObserved{ref, std::move(changed)});
}

void Observer::journalOwner(SocketId socket, const DescriptorRef& ref, std::int64_t ownerPid) {
    // Every change of the reading is journaled, and the first reading after each
    // registration the session made: the owner shown always rests on an F_GETOWN_EX reading.
    const SocketState& known = *session_.state().socket(socket);
    const Registration& believed = known.registration;
    const bool readSinceRegistration = known.ownerReadAt >= believed.at;
    if (readSinceRegistration && known.ownerRead.value_or(OsPid(0)).value() == ownerPid)
        return;
    const OsPid owner(ownerPid);
    const ProcessId ownerProcess = session_.state().processWithPid(owner).value_or(ProcessId());
    // Only a registration the session made and has not read back yet can be contradicted; a
    // reading that differs from an earlier reading is a change (an outside owner, its exit).
    const bool madeHere =
        !known.registrationHistory.empty() && !known.registrationHistory.back().observed;
    if (madeHere && !readSinceRegistration && believed.ownerPid.value() != ownerPid)
        session_.record(
            entry::Disagreement{"registration owner of socket S" + std::to_string(socket.value()),
                                "pid " + std::to_string(believed.ownerPid.value()),
                                "F_GETOWN_EX through " + session_.describe(ref) + " names pid " +
                                    std::to_string(ownerPid)});
    session_.record(entry::OwnerObserved{socket, ref, owner, ownerProcess});
}

// ---- the passage of time ---------------------------------------------------------------

void Observer::pumpUntil(Clock::time_point deadline, bool interruptible) {
    const Clock::time_point until = std::min(deadline, nextTick_);
    helpers_.dispatch(
        std::chrono::ceil<milliseconds>(std::max<Clock::duration>(until - Clock::now(), {})),
        ProcessId(), 0, interruptible);
    if (Clock::now() >= nextTick_)
        observeTickSlice();
}

void Observer::setTickInterval(milliseconds interval) {
    tickInterval_ = std::max(interval, milliseconds(1));
    nextTick_ = std::min(nextTick_, Clock::now() + tickSliceInterval());
}

void Observer::pump(milliseconds duration) {
    const Clock::time_point deadline = Clock::now() + duration;
    do {
        pumpUntil(deadline, true);
    } while (Clock::now() < deadline && !helpers_.woken());
}

bool Observer::waitUntil(const std::function<bool(const State&)>& condition, milliseconds bound) {
    const Clock::time_point deadline = Clock::now() + bound;
    while (!condition(session_.state())) {
        if (Clock::now() >= deadline)
            return false;
        pumpUntil(deadline, false);
    }
    return true;
}

} // namespace socklens::broker
