#include "broker/linux_backend.h"

#include "broker/broker.h"
#include "broker/broker_error.h"
#include "broker/descriptor_replies.h"
#include "model/socket_identity.h"

#include <sys/stat.h>

namespace socklens::broker {

LinuxBackend::LinuxBackend(BackendContext context)
    : context_(std::move(context))
    , counts_(context_.session) {}

std::string LinuxBackend::startCommand(const std::string& name) const {
    return "start helper " + name;
}

std::unique_ptr<HelperConnection> LinuxBackend::startHelper() {
    const std::string& path = context_.options.helperPath;
    HelperLaunch launch;
    launch.what = "the helper";
    launch.file = path;
    launch.child = ChildSpec{path, {path, "--channel-fd", "3"}, {}, {}};
    launch.channelFds = {3};
    return HelperConnection::spawn(launch);
}

std::string LinuxBackend::inProcessCopyText(std::int64_t copy) const {
    return "dup() gives fd " + std::to_string(copy) + " for the same socket in the same process";
}

void LinuxBackend::unreadable(ProcessId process) {
    // Closed behind the helper's back: its fd table tells.
    if (const ProcessState* known = context_.session.state().process(process))
        counts_.markStale(known->pid.value());
}

DescriptorRef LinuxBackend::duplicateAcross(DuplicationId id, const DescriptorRef& source,
                                            ProcessId target, const std::string& command) {
    BrokerSession& session = context_.session;
    HelperSet& helpers = context_.helpers;
    const SocketState& shared = *session.state().socket(session.state().descriptor(source)->socket);
    const std::string inode = identityText(shared.identity);
    const HandoffSteps step{session, id};

    step(1, HandoffActor::Source,
         session.describe(source) + " holds a " + shared.kind + " socket " + shared.local +
             (shared.peer.empty() ? "" : " -> " + shared.peer),
         inode);
    protocol::ExportDescriptor exportRequest;
    exportRequest.handle = source.handle.value();
    // SCM_RIGHTS needs no pid, so the source exports while the target tells it: the steps
    // keep the shape of the Winsock handoff without a round trip more.
    const std::uint32_t exportId = helpers.send(source.process, exportRequest, command);
    try {
        step.askTargetPid(helpers, target, command, "pid");
    } catch (const BrokerError&) {
        helpers.settle(source.process, exportId);
        throw;
    }
    platform::ReceivedFrame exported = helpers.await(source.process, exportId, command);
    const int transient = exported.fds.front().get(); // the reply's shape was checked: one
    noteReadingOf(context_, source, exported, command);
    struct stat status {};
    if (::fstat(transient, &status) != 0 || !S_ISSOCK(status.st_mode))
        helpers.refuse(source.process, command,
                       "exported a descriptor that is not a socket for " +
                           session.describe(source));
    step(5, HandoffActor::Source,
         "sendmsg(SCM_RIGHTS) passes fd " + std::to_string(source.handle.value()) +
             " to the broker, which receives it as its fd " + std::to_string(transient),
         "socket:[" + std::to_string(status.st_ino) + "]");
    if (status.st_ino != shared.identity)
        session.record(entry::Disagreement{"descriptor passed by " + session.describe(source),
                                           inode,
                                           "socket:[" + std::to_string(status.st_ino) + "]"});

    return passToHelper(context_, *this, id, std::move(exported.fds.front()), target, command);
}

DescriptorRef passToHelper(const BackendContext& context, KernelBackend& backend, DuplicationId id,
                           platform::UniqueFd transient, ProcessId target,
                           const std::string& command) {
    BrokerSession& session = context.session;
    const DuplicationState& duplication = session.state().duplications.at(id);
    const SocketState& shared = *session.state().socket(duplication.socket);
    const HandoffSteps step{session, id};
    const int fd = transient.get();
    const std::uint32_t importId =
        context.helpers.send(target, protocol::ImportDescriptor{}, command, std::span(&fd, 1));
    session.record(entry::ReferenceInFlight{id, shared.id});
    step(6, HandoffActor::Broker,
         "sendmsg(SCM_RIGHTS) passes it on to the target; the broker closes its fd " +
             std::to_string(fd) + " at once");
    transient.reset();

    const platform::ReceivedFrame imported = context.helpers.await(target, importId, command);
    const DescriptorRef result = adoptReply(context, backend, target, imported, command,
                                            DescriptorOrigin::Duplicated, 1, shared.identity)
                                     .front();
    step(7, HandoffActor::Target, "recvmsg(SCM_RIGHTS) in the target receives the reference");
    step(8, HandoffActor::Target,
         "the target holds fd " + std::to_string(result.handle.value()) + " for the same socket",
         identityText(shared.identity));
    return result;
}

} // namespace socklens::broker
