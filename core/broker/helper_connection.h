// The broker's end of one Linux helper: its control channel and its process.
#pragma once

#include "model/ids.h"
#include "platform/posix/fd_channel.h"

#include <chrono>
#include <memory>
#include <string>

namespace socklens::broker {

class HelperConnection {
public:
    /// Starts `helperPath --channel-fd 3` with one end of a fresh socketpair as fd 3.
    static std::unique_ptr<HelperConnection> spawn(const std::string& helperPath);
    /// Connects to a helper started with --listen; refuses a helper of another user.
    static std::unique_ptr<HelperConnection> attach(const std::string& socketPath);

    ~HelperConnection();

    platform::FdChannel& channel() { return channel_; }
    std::uint32_t nextRequestId() { return ++lastRequestId_; }
    OsPid pid() const { return pid_; }
    void setPid(OsPid pid) { pid_ = pid; }
    bool spawned() const { return spawned_; }

    /// SIGKILL, as `kill -9`.
    void kill();
    /// Waits (bounded) for the process to end and says how it ended. A spawned helper that
    /// outlives the bound is killed first, so it is always reaped.
    std::string waitForExit(std::chrono::milliseconds bound);

private:
    HelperConnection(platform::UniqueFd channel, OsPid pid, bool spawned);

    platform::FdChannel channel_;
    OsPid pid_;
    bool spawned_;
    bool reaped_ = false;
    std::uint32_t lastRequestId_ = 0;
};

} // namespace socklens::broker
