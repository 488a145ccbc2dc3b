// The broker's end of one helper: a framed control channel to it and its process. A Linux
// helper and the Winsock helper under Wine are started the same way (one end of a socketpair
// becomes the child's channel) and differ only in what HelperLaunch says; a helper started by
// hand with --listen is attached to instead.
#pragma once

#include "broker/child_process.h"
#include "model/ids.h"
#include "platform/posix/fd_channel.h"

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace socklens::broker {

/// How to start one kind of helper.
struct HelperLaunch {
    std::string what;        ///< "the helper", "the Winsock helper": for error sentences
    std::string file;        ///< the helper's program, checked before the start
    bool mustExecute = true; ///< false: it only has to be readable (Wine runs it)
    /// The child to start; the channel's far end is added as each of `channelFds`.
    ChildSpec child;
    std::vector<int> channelFds;
    bool carriesDescriptors = true;               ///< SCM_RIGHTS: Linux helpers only
    std::chrono::milliseconds startupAllowance{}; ///< how much longer its first answer may take
};

class HelperConnection {
public:
    /// Starts a helper as `launch` says. Throws BrokerError.
    static std::unique_ptr<HelperConnection> spawn(const HelperLaunch& launch);
    /// Connects to a helper started with --listen. Refuses a helper of another user; its pid
    /// is the kernel's (SO_PEERCRED), never what it claims. Throws BrokerError.
    static std::unique_ptr<HelperConnection> attach(const std::string& socketPath);

    ~HelperConnection();
    HelperConnection(const HelperConnection&) = delete;
    HelperConnection& operator=(const HelperConnection&) = delete;

    /// Readable when readAvailable() may have something to read.
    int pollFd() const { return channel_.fd(); }
    /// Sends one frame, waiting at most `within` for the helper to read. Throws OsError (also
    /// ETIMEDOUT when the helper did not read in time).
    void send(const protocol::Message& message, std::span<const int> fds,
              std::chrono::milliseconds within);
    /// Reads without blocking; false at end of stream. Throws OsError.
    bool readAvailable() { return channel_.readAvailable(); }
    /// The next whole frame read so far. Throws protocol::ProtocolError on a bad frame.
    std::optional<platform::ReceivedFrame> nextFrame() { return channel_.nextFrame(); }
    /// Descriptors that arrived with no frame announcing them, closed since the last call.
    std::size_t takeStrayDescriptors() { return channel_.takeStrayDescriptors(); }

    /// SIGKILL, as `kill -9`.
    void kill();
    /// Ends the session and says how it ended. A helper we started is killed if
    /// `killSpawned` and always reaped; one we attached to is only disconnected unless kill()
    /// was called.
    std::string end(bool killSpawned, std::chrono::milliseconds bound);
    bool spawned() const { return spawned_; }
    std::chrono::milliseconds startupAllowance() const { return startupAllowance_; }

    std::uint32_t nextRequestId() { return ++lastRequestId_; }
    /// The process as the kernel knows it: the child we started, or SO_PEERCRED's pid.
    OsPid pid() const { return pid_; }

private:
    HelperConnection(platform::UniqueFd channel, OsPid pid, bool spawned, bool carriesDescriptors,
                     std::chrono::milliseconds startupAllowance);

    platform::FdChannel channel_;
    OsPid pid_;
    bool spawned_;
    bool carriesDescriptors_;
    std::chrono::milliseconds startupAllowance_;
    bool reaped_ = false;
    bool killed_ = false;
    std::uint32_t lastRequestId_ = 0;
};

} // namespace socklens::broker
