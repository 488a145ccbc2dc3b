// The Broker's processes: helpers started, joined and killed, children started, and programs
// attached read-only.
#include "broker/broker.h"
#include "broker/broker_guarded.h"
#include "broker/descriptor_replies.h"
#include "broker/foreign_backend.h"
#include "broker/winsock_backend.h"
#include "platform/socket_api.h"

namespace socklens::broker {

// ---- helpers ---------------------------------------------------------------------------

ProcessId Broker::join(std::unique_ptr<HelperConnection> connection, const std::string& name,
                       Platform platform) {
    const ProcessId id = helpers_.introduce(std::move(connection), name, platform);
    observer_.observe();
    return id;
}

ProcessId Broker::spawnHelper(const std::string& name) {
    return spawnHelper(name, options_.backend);
}

ProcessId Broker::spawnHelper(const std::string& name, Platform platform) {
    return guarded("starting a helper", [&] {
        KernelBackend& backend = backends_.of(platform);
        const std::string command = backend.startCommand(name);
        session_.record(entry::CommandIssued{command});
        try {
            return join(backend.startHelper(), name, platform);
        } catch (const BrokerError& error) {
            session_.fail(command, "", "", error.what());
        }
    });
}

ProcessId Broker::attachHelper(const std::string& socketPath, const std::string& name) {
    return guarded("attaching a helper", [&] {
        session_.record(entry::CommandIssued{"attach helper " + name + " at " + socketPath});
        try {
            return join(HelperConnection::attach(socketPath), name, Platform::Linux);
        } catch (const BrokerError& error) {
            session_.fail("attach helper " + name, "connect", "", error.what());
        }
    });
}

std::vector<ProcessId> Broker::attach(const AttachTarget& target) {
    return guarded("attach", [&] {
        const bool windows = target.kind == AttachTarget::Kind::WindowsPid;
        const std::string command =
            "attach read-only to " + target.text() +
            (windows ? ": each socket handle is copied into a Winsock helper (DuplicateHandle), "
                       "read and closed at once; the copies are socklens's own and not counted"
                     : "");
        session_.record(entry::CommandIssued{command});
        std::vector<ProcessId> joined =
            windows ? std::vector{backends_.winsock().attach(std::int64_t(target.value), command)}
                    : backends_.foreign().attach(target, command);
        observer_.observe();
        return joined;
    });
}

std::vector<protocol::ListedProcess> Broker::windowsProcesses() {
    return guarded("listing Windows processes", [&] {
        return backends_.winsock().windowsProcesses("list the Wine prefix's processes");
    });
}

void Broker::deepRead(ProcessId process) {
    guarded("deep read", [&] {
        const std::string command =
            "deep read of " + session_.label(process) +
            ": a pidfd_getfd copy of each socket descriptor into socklens (pid " +
            std::to_string(platform::currentPid()) +
            "), read with getsockopt and F_GETOWN_EX, closed at once; the copies are socklens's "
            "own and not counted";
        session_.record(entry::CommandIssued{command});
        backends_.foreign().deepRead(process, command);
    });
}

void Broker::killHelper(ProcessId process) {
    guarded("kill", [&] {
        const std::string command = "kill -9 " + session_.label(process);
        session_.record(entry::CommandIssued{command});
        helpers_.connection(process, command)
            .kill(); // also a helper we attached to: the user asked
        helpers_.drop(process, {}, true);
        observer_.observe();
    });
}

ProcessId Broker::startChild(ProcessId parent, const std::string& name, bool inherit,
                             std::chrono::milliseconds lifetime) {
    return guarded("start a child", [&] {
        const std::string command = "start child " + name + " of " + session_.label(parent) +
                                    (inherit ? ", inheriting its handles" : ", inheriting nothing");
        session_.record(entry::CommandIssued{command});
        protocol::StartChild request;
        request.inheritHandles = inherit ? 1 : 0;
        request.lifetimeMs = std::uint32_t(lifetime.count());
        const auto reply = helpers_.request(parent, request, command);
        const protocol::ListedProcess& child =
            replyAs<protocol::ChildReply>(helpers_, parent, reply, command).child;
        if (child.pid <= 0)
            helpers_.refuse(parent, command, "named no process id for the child it started");
        const ProcessState& started = *state().process(parent);
        const ProcessId id = session_.newProcess();
        session_.record(entry::ProcessStarted{
            id, OsPid(child.pid), name, started.platform, false, started.osVersion, {}});
        observer_.observeAll();
        return id;
    });
}

} // namespace socklens::broker
