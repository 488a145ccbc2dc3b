// What socklens does with pidfd_getfd copies out of an attached process, each asked for and
// confirmed by the user (issue 10): the deep read (every option and the F_GETOWN_EX owner of
// each socket descriptor, through a copy closed at once), and a duplication into a helper
// (the copy passed on by SCM_RIGHTS, then closed). The broker's copies are its own: no
// session process holds them, so no count includes them.
#include "broker/broker_error.h"
#include "broker/descriptor_replies.h"
#include "broker/foreign_backend.h"
#include "broker/foreign_facts.h"
#include "broker/linux_backend.h"
#include "model/socket_identity.h"
#include "platform/os_error.h"
#include "platform/posix/unique_fd.h"
#include "platform/socket_api.h"

#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace socklens::broker {

namespace {

/// pidfd_open(pid), or a failed command with the OS's sentence.
platform::UniqueFd openPidfd(BrokerSession& session, std::int64_t pid, const std::string& command) {
    platform::UniqueFd pidfd(int(::syscall(SYS_pidfd_open, pid_t(pid), 0)));
    if (!pidfd.valid()) {
        const platform::OsError error = platform::OsError::fromLastError("pidfd_open");
        session.fail(command, "pidfd_open", error.codeName(), error.sentence());
    }
    return pidfd;
}

/// Every option through `copy`, and its F_GETOWN_EX owner (0: nobody; -1: not readable).
std::pair<std::vector<OptionReading>, std::int64_t> readThrough(int copy) {
    std::vector<OptionReading> readings;
    for (const SocketOption option : allSocketOptions())
        readings.push_back(platform::readOption(Handle(copy), option));
    std::int64_t owner = -1;
    try {
        owner = platform::registrationOwner(Handle(copy));
    } catch (const platform::OsError&) {
        // the owner stays unknown; the options were read
    }
    return {std::move(readings), owner};
}

} // namespace

void ForeignBackend::deepRead(ProcessId process, const std::string& command) {
    BrokerSession& session = context_.session;
    const ProcessState* known = session.state().process(process);
    if (!known || !known->foreign || !known->alive)
        session.fail(command, {}, "not-attached",
                     session.label(process) + " is not an attached process that is running");
    if (known->platform == Platform::WinsockWine) // its pid is a Windows one: no pidfd names it
        session.fail(command, {}, "not-supported",
                     session.label(process) +
                         " is a Windows program: its socket handles are read through copies in "
                         "a Winsock helper when it is attached, and Winsock has no call to read "
                         "another process's options or registrations");
    const std::int64_t pid = known->pid.value();
    if (const std::string forbidden = deepReadForbidden(pid); !forbidden.empty())
        session.fail(command, "pidfd_getfd", "EPERM",
                     "a deep read of " + session.label(process) +
                         " is not permitted: " + forbidden);
    const platform::UniqueFd pidfd = openPidfd(session, pid, command);
    const std::map<Handle, SocketId> open = session.open().of(process); // a copy: we journal
    for (const auto& [handle, socketId] : open) {
        const DescriptorRef ref{process, handle};
        platform::UniqueFd copy(
            int(::syscall(SYS_pidfd_getfd, pidfd.get(), int(handle.value()), 0)));
        if (!copy.valid()) {
            const platform::OsError error = platform::OsError::fromLastError("pidfd_getfd");
            session.record(entry::Problem{"deep read of " + session.describe(ref) +
                                          " failed: " + error.sentence()});
            continue;
        }
        struct stat status {};
        const std::uint64_t identity = session.state().socket(socketId)->identity;
        if (::fstat(copy.get(), &status) != 0 || status.st_ino != identity) {
            session.record(entry::Disagreement{"descriptor copied from " + session.describe(ref),
                                               identityText(identity),
                                               "socket:[" + std::to_string(status.st_ino) + "]"});
            continue;
        }
        auto [readings, owner] = readThrough(copy.get());
        copy.reset(); // closed at once, before anything is journaled
        session.record(entry::OptionsObserved{ref, std::move(readings)});
        const Registration& believed = session.state().socket(socketId)->registration;
        if (owner >= 0 && believed.ownerPid.value() != owner)
            session.record(entry::OwnerObserved{
                socketId, ref, OsPid(owner),
                session.state().processWithPid(OsPid(owner)).value_or(ProcessId())});
    }
}

DescriptorRef ForeignBackend::duplicateAcross(DuplicationId id, const DescriptorRef& source,
                                              ProcessId target, const std::string& command) {
    BrokerSession& session = context_.session;
    const ProcessState& from = *session.state().process(source.process);
    const SocketState& shared = *session.state().socket(session.state().descriptor(source)->socket);
    if (const std::string forbidden = deepReadForbidden(from.pid.value()); !forbidden.empty())
        session.fail(command, "pidfd_getfd", "EPERM",
                     "copying " + session.describe(source) + " out of " +
                         session.label(source.process) + " is not permitted: " + forbidden);
    const HandoffSteps step{session, id};
    step(1, HandoffActor::Source,
         session.describe(source) + " holds a " + shared.kind + " socket " + shared.local +
             (shared.peer.empty() ? "" : " -> " + shared.peer) + "; " +
             session.label(source.process) + " is attached read-only and takes no part",
         identityText(shared.identity));
    step.askTargetPid(context_.helpers, target, command, "pid");
    const platform::UniqueFd pidfd = openPidfd(session, from.pid.value(), command);
    platform::UniqueFd copy(
        int(::syscall(SYS_pidfd_getfd, pidfd.get(), int(source.handle.value()), 0)));
    if (!copy.valid()) {
        const platform::OsError error = platform::OsError::fromLastError("pidfd_getfd");
        session.fail(command, "pidfd_getfd", error.codeName(), error.sentence());
    }
    struct stat status {};
    ::fstat(copy.get(), &status);
    step(5, HandoffActor::Broker,
         "pidfd_getfd copies fd " + std::to_string(source.handle.value()) + " of pid " +
             std::to_string(from.pid.value()) + " into the broker as its fd " +
             std::to_string(copy.get()),
         "socket:[" + std::to_string(status.st_ino) + "]");
    if (status.st_ino != shared.identity)
        session.fail(command, "pidfd_getfd", "different-socket",
                     session.describe(source) + " names socket:[" + std::to_string(status.st_ino) +
                         "] now, not " + identityText(shared.identity) +
                         ": it was closed and reused meanwhile");
    return passToHelper(context_, counts_, id, std::move(copy), target, command);
}

} // namespace socklens::broker
