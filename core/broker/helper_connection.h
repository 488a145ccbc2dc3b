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
    /// Ends the session: a spawned helper is killed if `killSpawned` and always reaped (killed
    /// when it outlives `bound`); an attached helper is only disconnected unless kill() was
    /// called, since we did not start it. Says how it ended.
    std::string end(bool killSpawned, std::chrono::milliseconds bound);

private:
    HelperConnection(platform::UniqueFd channel, OsPid pid, bool spawned);

    platform::FdChannel channel_;
    OsPid pid_;
    bool spawned_;
    bool reaped_ = false;
    bool killed_ = false;
    std::uint32_t lastRequestId_ = 0;
};

} // namespace socklens::broker
