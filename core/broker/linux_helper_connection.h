// A Linux helper: spawned with one end of a socketpair as its control channel, or attached
// through the socket of `socklens-helper --listen`. The channel carries SCM_RIGHTS.
#pragma once

#include "broker/helper_connection.h"
#include "platform/posix/fd_channel.h"

#include <chrono>
#include <memory>
#include <string>

namespace socklens::broker {

class LinuxHelperConnection final : public HelperConnection {
public:
    /// Starts `helperPath --channel-fd 3` with one end of a fresh socketpair as fd 3.
    static std::unique_ptr<HelperConnection> spawn(const std::string& helperPath);
    /// Connects to a helper started with --listen; refuses a helper of another user.
    static std::unique_ptr<HelperConnection> attach(const std::string& socketPath);

    ~LinuxHelperConnection() override;

    int pollFd() const override { return channel_.fd(); }
    void send(const protocol::Message& message, std::span<const int> fds) override {
        channel_.send(message, fds);
    }
    bool readAvailable() override { return channel_.readAvailable(); }
    std::optional<platform::ReceivedFrame> nextFrame() override { return channel_.nextFrame(); }
    void kill() override;
    std::string end(bool killSpawned, std::chrono::milliseconds bound) override;
    bool spawned() const override { return spawned_; }

private:
    LinuxHelperConnection(platform::UniqueFd channel, OsPid pid, bool spawned);

    platform::FdChannel channel_;
    bool spawned_;
    bool reaped_ = false;
    bool killed_ = false;
};

} // namespace socklens::broker
