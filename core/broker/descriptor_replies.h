// What the commands of every backend share: a descriptor they act on must be open, the
// descriptors a helper reports become the session's (checked against how many the request
// makes), and a Hello gives a pid. Replies reach these with the shape HelperSet checked.
#pragma once

#include "broker/kernel_backend.h"

#include <optional>
#include <string>
#include <vector>

namespace socklens::broker {

/// The descriptors of a DescriptorsReply, journaled as opened (`how`). `expected`: how many
/// the request makes; another number, a repeated or negative handle or one with no identity
/// ends the helper (HelperSet::refuse). `copyOf`: they are descriptors of that socket.
std::vector<DescriptorRef> adoptReply(const BackendContext& context, KernelBackend& backend,
                                      ProcessId process, const platform::ReceivedFrame& reply,
                                      const std::string& command, DescriptorOrigin how,
                                      std::size_t expected,
                                      std::optional<std::uint64_t> copyOf = std::nullopt);

/// Leaves the reading of `descriptor` that `reply` brought (ExportDescriptor, SetInheritable) for
/// the command's observation; a reply that reads another descriptor, or none, ends the helper.
void noteReadingOf(const BackendContext& context, const DescriptorRef& descriptor,
                   const platform::ReceivedFrame& reply, const std::string& command);

/// The state of `descriptor`, which must be the session's (open or closed) in a running helper;
/// else the command fails (helper-gone, unknown-descriptor).
const DescriptorState& sessionDescriptorOf(const BackendContext& context,
                                           const DescriptorRef& descriptor,
                                           const std::string& command);

/// Asks `process` for its Hello; its pid (a Windows one for a Winsock helper).
std::int64_t helloPid(HelperSet& helpers, ProcessId process, const std::string& command);

/// Journals the handoff steps of one duplication.
struct HandoffSteps {
    BrokerSession& session;
    DuplicationId id;
    void operator()(std::int32_t number, HandoffActor actor, std::string text,
                    std::string detail = {}) const;
    /// Steps 2-4: the broker asks the target for its pid (`pidName`: "pid", "Windows pid"),
    /// which the source side receives. Returns it.
    std::int64_t askTargetPid(HelperSet& helpers, ProcessId target, const std::string& command,
                              const std::string& pidName) const;
};

/// The reply as `Reply`, which HelperSet::request checked it is; a mismatch is a fault.
template <class Reply>
const Reply& replyAs(HelperSet& helpers, ProcessId process, const platform::ReceivedFrame& frame,
                     const std::string& command) {
    const Reply* reply = std::get_if<Reply>(&frame.message);
    if (!reply)
        helpers.refuse(process, command,
                       "answered with a " +
                           std::string(protocol::toString(protocol::typeOf(frame.message))));
    return *reply;
}

} // namespace socklens::broker
