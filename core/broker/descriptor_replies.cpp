#include "broker/descriptor_replies.h"

#include <set>

namespace socklens::broker {

std::vector<DescriptorRef> adoptReply(const BackendContext& context, KernelBackend& backend,
                                      ProcessId process, const platform::ReceivedFrame& reply,
                                      const std::string& command, DescriptorOrigin how,
                                      std::size_t expected, std::optional<std::uint64_t> copyOf) {
    const auto& described =
        replyAs<protocol::DescriptorsReply>(context.helpers, process, reply, command).descriptors;
    if (described.size() != expected)
        context.helpers.refuse(process, command,
                               "reported " + std::to_string(described.size()) +
                                   " descriptor(s) where " + std::to_string(expected) +
                                   " were made");
    std::set<std::int64_t> handles;
    for (const protocol::DescriptorObservation& read : described) {
        if (read.descriptor.handle < 0 || !handles.insert(read.descriptor.handle).second)
            context.helpers.refuse(process, command,
                                   "reported the impossible descriptor " +
                                       std::to_string(read.descriptor.handle));
    }
    std::vector<DescriptorRef> refs;
    for (const protocol::DescriptorObservation& read : described) {
        protocol::DescriptorDescription descriptor = read.descriptor;
        const DescriptorRef ref{process, Handle(descriptor.handle)};
        descriptor.socket.identity = backend.adopt(ref, descriptor, copyOf);
        if (descriptor.socket.identity == 0)
            context.helpers.refuse(process, command,
                                   "reported descriptor " + std::to_string(descriptor.handle) +
                                       " without naming its socket");
        context.session.record(entry::DescriptorOpened{
            ref, context.session.identify(descriptor.socket), how, descriptor.wsaFlags});
        context.readInReplies.note(process, read);
        refs.push_back(ref);
    }
    return refs;
}

void noteReadingOf(const BackendContext& context, const DescriptorRef& descriptor,
                   const platform::ReceivedFrame& reply, const std::string& command) {
    const auto& read =
        replyAs<protocol::DescriptorsReply>(context.helpers, descriptor.process, reply, command)
            .descriptors;
    if (read.size() != 1 || read.front().descriptor.handle != descriptor.handle.value())
        context.helpers.refuse(descriptor.process, command,
                               "answered for " + context.session.describe(descriptor) +
                                   " with a reading of another descriptor");
    context.readInReplies.note(descriptor.process, read.front());
}

const DescriptorState& sessionDescriptorOf(const BackendContext& context,
                                           const DescriptorRef& descriptor,
                                           const std::string& command) {
    // An ended helper's descriptors went with it: say so, not EBADF.
    context.helpers.connection(descriptor.process, command);
    // A descriptor closed earlier is still asked for: the helper's OS call fails with the OS's
    // own error (C12), never one socklens makes up.
    const DescriptorState* state = context.session.state().descriptor(descriptor);
    if (!state)
        context.session.fail(command, {}, "unknown-descriptor",
                             context.session.describe(descriptor) +
                                 " was never a descriptor of this session");
    return *state;
}

std::int64_t helloPid(HelperSet& helpers, ProcessId process, const std::string& command) {
    const platform::ReceivedFrame reply = helpers.request(process, protocol::Hello{}, command);
    return replyAs<protocol::HelloReply>(helpers, process, reply, command).pid;
}

void HandoffSteps::operator()(std::int32_t number, HandoffActor actor, std::string text,
                              std::string detail) const {
    session.record(entry::HandoffStep{id, number, actor, std::move(text), std::move(detail)});
}

std::int64_t HandoffSteps::askTargetPid(HelperSet& helpers, ProcessId target,
                                        const std::string& command,
                                        const std::string& pidName) const {
    const bool windows = pidName != "pid";
    (*this)(2, HandoffActor::Broker,
            "ask " + session.label(target) + " for its " +
                (windows ? "Windows process id" : "process id"));
    const std::int64_t pid = helloPid(helpers, target, command);
    (*this)(3, HandoffActor::Target, "the target answers: " + pidName + " " + std::to_string(pid));
    (*this)(4, HandoffActor::Source,
            "the source side receives the target's pid " + std::to_string(pid));
    return pid;
}

} // namespace socklens::broker
