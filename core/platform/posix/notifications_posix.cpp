// Linux: F_SETOWN_EX + F_SETSIG + O_ASYNC deliver a realtime signal carrying si_fd and si_band to
// the socket's owner process; the signal is kept blocked and read from a signalfd instead.
#include "platform/notifications.h"
#include "platform/os_error.h"
#include "platform/posix/native_fd.h"
#include "platform/posix/unique_fd.h"

#include <array>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <map>
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace socklens::platform {

namespace {

int notificationSignal() {
    return SIGRTMIN + 1;
}

sigset_t notificationSignals() {
    sigset_t signals;
    ::sigemptyset(&signals);
    ::sigaddset(&signals, notificationSignal());
    // The kernel falls back to plain SIGIO when the realtime signal queue is full.
    ::sigaddset(&signals, SIGIO);
    return signals;
}

EventMask eventsFromBand(std::int64_t band) {
    EventMask events = 0;
    if (band & (POLLIN | POLLRDNORM))
        events |= FdRead;
    if (band & (POLLOUT | POLLWRNORM))
        events |= FdWrite;
    return events;
}

std::uint64_t socketIdentity(int fd, const char* call) {
    struct stat status {};
    if (::fstat(fd, &status) != 0)
        throw OsError::fromLastError(call);
    if (!S_ISSOCK(status.st_mode))
        throw OsError(call, ENOTSOCK, "ENOTSOCK",
                      std::string(call) + " failed: descriptor " + std::to_string(fd) +
                          " is not a socket (ENOTSOCK)");
    return status.st_ino;
}

void fcntlOrThrow(int fd, int command, long argument, const char* call) {
    if (::fcntl(fd, command, argument) != 0)
        throw OsError::fromLastError(call);
}

void setOwner(int fd, pid_t pid) {
    f_owner_ex owner{F_OWNER_PID, pid};
    if (::fcntl(fd, F_SETOWN_EX, &owner) != 0)
        throw OsError::fromLastError("fcntl(F_SETOWN_EX)");
}

} // namespace

struct EventNotifications::Impl {
    UniqueFd signalFd;
    std::map<int, std::uint64_t> identityByFd; ///< the fds this process registered through
    std::map<std::uint64_t, EventMask> maskByIdentity;

    std::size_t readRecords(std::array<signalfd_siginfo, 16>& records) {
        for (;;) {
            const ssize_t bytes = ::read(signalFd.get(), records.data(), sizeof records);
            if (bytes >= 0)
                return std::size_t(bytes) / sizeof(signalfd_siginfo);
            if (errno == EAGAIN)
                return 0;
            if (errno != EINTR)
                throw OsError::fromLastError("read(signalfd)");
        }
    }

    protocol::NetworkEvent toEvent(const signalfd_siginfo& record) const {
        if (int(record.ssi_signo) == SIGIO)
            return protocol::NetworkEvent{-1, 0, 0, 0, 0};
        protocol::NetworkEvent event;
        event.handle = record.ssi_fd;
        event.band = record.ssi_band;
        event.events = eventsFromBand(record.ssi_band);
        // A delivery names the fd that armed O_ASYNC; one this process no longer tracks (closed,
        // or armed elsewhere) has no identity we could vouch for.
        if (const auto fd = identityByFd.find(record.ssi_fd); fd != identityByFd.end()) {
            event.identity = fd->second;
            event.registered = maskByIdentity.at(fd->second);
        }
        return event;
    }
};

EventNotifications::EventNotifications()
    : impl_(std::make_unique<Impl>()) {
    // Blocked, the signals queue up for the signalfd instead of running their default action
    // (which for a realtime signal is to terminate the process).
    const sigset_t signals = notificationSignals();
    if (::sigprocmask(SIG_BLOCK, &signals, nullptr) != 0)
        throw OsError::fromLastError("sigprocmask");
    impl_->signalFd.reset(::signalfd(-1, &signals, SFD_NONBLOCK | SFD_CLOEXEC));
    if (!impl_->signalFd.valid())
        throw OsError::fromLastError("signalfd");
}

EventNotifications::~EventNotifications() {
    // The signals stay blocked (unblocking with one pending would kill the process), but what is
    // queued now is discarded so a later instance does not report another session's deliveries.
    std::array<signalfd_siginfo, 16> records;
    try {
        while (impl_->readRecords(records) > 0) {
        }
    } catch (const OsError&) {
    }
}

void EventNotifications::registerFor(Handle handle, EventMask mask,
                                     RegistrationMechanism mechanism) {
    if (mechanism != RegistrationMechanism::FcntlSetOwn) {
        const std::string call(toString(mechanism));
        throw OsError(call, EOPNOTSUPP, "EOPNOTSUPP",
                      call + " is a Winsock call; this Linux helper registers with " +
                          std::string(toString(RegistrationMechanism::FcntlSetOwn)) +
                          " (EOPNOTSUPP)");
    }
    const int fd = nativeFd(handle, "fcntl(F_SETOWN_EX)");
    const std::uint64_t identity = socketIdentity(fd, "fcntl(F_SETOWN_EX)");
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0)
        throw OsError::fromLastError("fcntl(F_GETFL)");

    if (mask == 0) {
        // Cancelling, like WSAEventSelect(s, 0, 0): nobody owns the socket's notifications.
        setOwner(fd, 0);
        fcntlOrThrow(fd, F_SETFL, flags & ~O_ASYNC, "fcntl(F_SETFL, ~O_ASYNC)");
    } else {
        // The signal first, so nothing is delivered as plain SIGIO once we own the socket.
        fcntlOrThrow(fd, F_SETSIG, notificationSignal(), "fcntl(F_SETSIG)");
        setOwner(fd, ::getpid());
        // Re-arming O_ASYNC makes the kernel name this fd in si_fd; while the flag merely stays
        // set, deliveries keep naming the fd that armed it, possibly in another process.
        fcntlOrThrow(fd, F_SETFL, flags & ~O_ASYNC, "fcntl(F_SETFL, ~O_ASYNC)");
        fcntlOrThrow(fd, F_SETFL, flags | O_ASYNC | O_NONBLOCK, "fcntl(F_SETFL, O_ASYNC)");
    }
    impl_->identityByFd[fd] = identity;
    impl_->maskByIdentity[identity] = mask;
}

void EventNotifications::forget(Handle handle) {
    impl_->identityByFd.erase(int(handle.value()));
}

std::intptr_t EventNotifications::waitable() const {
    return impl_->signalFd.get();
}

std::vector<protocol::NetworkEvent> EventNotifications::drain() {
    std::vector<protocol::NetworkEvent> events;
    std::array<signalfd_siginfo, 16> records;
    while (const std::size_t count = impl_->readRecords(records)) {
        for (std::size_t i = 0; i < count; ++i)
            events.push_back(impl_->toEvent(records[i]));
    }
    return events;
}

} // namespace socklens::platform
