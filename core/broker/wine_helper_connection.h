// A Winsock helper: `wine socklens-helper.exe`, whose stdin and stdout are one end of a
// socketpair. Wine reads and writes it as its standard handles; on our side it is the same
// framed channel as a Linux helper's, which never carries descriptors here.
#pragma once

#include "broker/helper_connection.h"
#include "broker/wine_environment.h"
#include "platform/posix/fd_channel.h"

#include <memory>
#include <string>

namespace socklens::broker {

class WineHelperConnection final : public HelperConnection {
public:
    /// Starts `wine helperExe` in `wine`'s prefix. Throws BrokerError.
    static std::unique_ptr<HelperConnection> spawn(const WineEnvironment& wine,
                                                   const std::string& helperExe);

    ~WineHelperConnection() override;

    int pollFd() const override { return channel_.fd(); }
    void send(const protocol::Message& message, std::span<const int> fds) override;
    bool readAvailable() override { return channel_.readAvailable(); }
    std::optional<platform::ReceivedFrame> nextFrame() override { return channel_.nextFrame(); }
    void kill() override;
    std::string end(bool killSpawned, std::chrono::milliseconds bound) override;
    bool spawned() const override { return true; }
    /// Wine's first start in a session starts its server and loads the prefix.
    std::chrono::milliseconds startupAllowance() const override { return std::chrono::seconds(30); }

private:
    WineHelperConnection(platform::UniqueFd channel, OsPid pid);

    platform::FdChannel channel_;
    bool reaped_ = false;
};

} // namespace socklens::broker
