// The broker's end of one helper: a framed channel to it and its process. One
// implementation per kind of helper (a Linux helper over a socketpair, a Winsock helper
// under Wine over pipes); the broker only sees this interface.
#pragma once

#include "model/ids.h"
#include "model/socket_vocabulary.h"
#include "platform/posix/fd_channel.h"

#include <chrono>
#include <optional>
#include <span>
#include <string>

namespace socklens::broker {

class HelperConnection {
public:
    virtual ~HelperConnection() = default;

    /// Readable when readAvailable() may have something to read.
    virtual int pollFd() const = 0;
    /// Sends one frame; `fds` only where the channel can carry descriptors. Throws OsError.
    virtual void send(const protocol::Message& message, std::span<const int> fds) = 0;
    /// Reads without blocking; false at end of stream. Throws OsError.
    virtual bool readAvailable() = 0;
    /// The next whole frame read so far. Throws protocol::ProtocolError on a bad frame.
    virtual std::optional<platform::ReceivedFrame> nextFrame() = 0;

    /// SIGKILL, as `kill -9`.
    virtual void kill() = 0;
    /// Ends the session and says how it ended. A helper we started is killed if
    /// `killSpawned` and always reaped; one we attached to is only disconnected unless
    /// kill() was called.
    virtual std::string end(bool killSpawned, std::chrono::milliseconds bound) = 0;
    virtual bool spawned() const = 0;
    /// How much longer than a command the helper's first answer may take.
    virtual std::chrono::milliseconds startupAllowance() const { return {}; }

    std::uint32_t nextRequestId() { return ++lastRequestId_; }
    OsPid pid() const { return pid_; }
    void setPid(OsPid pid) { pid_ = pid; }

protected:
    explicit HelperConnection(OsPid pid)
        : pid_(pid) {}

private:
    OsPid pid_;
    std::uint32_t lastRequestId_ = 0;
};

} // namespace socklens::broker
