// Where Winsock helpers run on this Linux machine: the `wine` program, and a Wine prefix of
// socklens's own under the user's cache directory, made once with wineboot.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace socklens::broker {

struct WineEnvironment {
    std::string wine;   ///< the wine program, found on PATH
    std::string prefix; ///< the WINEPREFIX every socklens Wine process uses
    /// "NAME=VALUE" for a Wine process of socklens: the prefix, and no debug channels.
    std::vector<std::string> variables() const;
};

/// $XDG_CACHE_HOME/socklens/wine-prefix, or ~/.cache/socklens/wine-prefix.
std::string defaultWinePrefix();

/// Why Winsock helpers cannot start here (no wine program, no `helperExe`), as sentences that
/// say what to install; nullopt when they can.
std::optional<std::string> winsockUnavailable(const std::string& helperExe);

/// Finds wine, makes sure the prefix exists and its Wine server runs. Creating the prefix runs
/// wineboot, which takes tens of seconds: `progress` is told first. Safe against other socklens
/// processes doing the same at once. Throws BrokerError.
///
/// The server is started here, kept for half a minute after its last process ends, and warmed
/// up by running `helperExe --version`: Wine's system processes (services.exe, ...) start with
/// the first program and outlive it, and they must not inherit a helper's control channel or
/// the caller's output. Runs in a row also skip Wine's start-up of a few seconds.
WineEnvironment prepareWine(const std::string& helperExe,
                            const std::function<void(const std::string&)>& progress);

} // namespace socklens::broker
