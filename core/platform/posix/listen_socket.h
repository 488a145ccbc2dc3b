// A listening AF_UNIX socket at a filesystem path: how a helper started by hand is reached.
#pragma once

#include "platform/posix/unique_fd.h"

#include <iosfwd>
#include <string>

namespace socklens::platform {

class UnixListener {
public:
    /// Binds and listens at `path`; an existing file there is an error, never replaced.
    /// Throws OsError.
    explicit UnixListener(std::string path);
    /// Removes the path again.
    ~UnixListener();
    UnixListener(const UnixListener&) = delete;
    UnixListener& operator=(const UnixListener&) = delete;

    const std::string& path() const { return path_; }
    int fd() const { return socket_.get(); }

    /// Waits for the next connection from a process of our own user. Others are closed at
    /// once, with one line on `rejections` saying why. Throws OsError.
    UniqueFd acceptSameUser(std::ostream& rejections);

private:
    std::string path_;
    UniqueFd socket_;
};

/// Removes `path` when SIGINT, SIGTERM or SIGHUP ends the process (which still dies of that
/// signal, as it would have). One path per process; a later call replaces it.
void removeOnTerminationSignal(const std::string& path);

} // namespace socklens::platform
