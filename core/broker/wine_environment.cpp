#include "broker/wine_environment.h"

#include "broker/broker_error.h"
#include "broker/child_process.h"
#include "platform/posix/unique_fd.h"

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/file.h>
#include <unistd.h>

namespace socklens::broker {

namespace {

namespace fs = std::filesystem;

/// wineboot in a fresh prefix takes tens of seconds; far longer means it hangs.
constexpr std::chrono::seconds kWinebootBound{300};
/// The warm-up run starts Wine's server processes: a few seconds.
constexpr std::chrono::seconds kWarmUpBound{60};
/// How long the server stays after its last process ended.
constexpr const char* kServerLinger = "-p30";

std::optional<std::string> findOnPath(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::istringstream directories(path ? path : "");
    for (std::string directory; std::getline(directories, directory, ':');) {
        const std::string candidate = (directory.empty() ? "." : directory) + "/" + program;
        if (::access(candidate.c_str(), X_OK) == 0)
            return candidate;
    }
    return std::nullopt;
}

std::string noWine() {
    return "the winsock backend runs socklens-helper.exe under Wine, and there is no `wine` "
           "program on PATH: install Wine (Debian: sudo apt-get install wine wine64), or run "
           "installer/dev.sh deps";
}

/// Written after wineboot succeeded: a prefix without it was left half made.
fs::path readyMarker(const std::string& prefix) {
    return fs::path(prefix) / ".socklens-ready";
}

/// Runs `argv` with nothing as its stdin, stdout and stderr; says how it ended.
std::string runQuietly(const std::string& program, std::vector<std::string> argv,
                       std::vector<std::string> variables, std::chrono::seconds bound) {
    const platform::UniqueFd nothing(::open("/dev/null", O_RDWR | O_CLOEXEC));
    const OsPid child = startChild({program,
                                    std::move(argv),
                                    {{nothing.get(), 0}, {nothing.get(), 1}, {nothing.get(), 2}},
                                    std::move(variables)});
    return reapChild(child, bound);
}

void createPrefix(const WineEnvironment& wine) {
    std::vector<std::string> variables = wine.variables();
    // No dialogs offering to install Mono and Gecko: the helper needs neither.
    variables.push_back("WINEDLLOVERRIDES=mscoree,mshtml=");
    const std::string ending =
        runQuietly(wine.wine, {wine.wine, "wineboot", "--init"}, variables, kWinebootBound);
    if (ending != "exited with status 0")
        throw BrokerError("could not create the Wine prefix " + wine.prefix + ": wineboot " +
                          ending + ". Run `WINEPREFIX=" + wine.prefix +
                          " wineboot --init` to see why");
    std::ofstream(readyMarker(wine.prefix)) << "made by socklens with wineboot --init\n";
}

} // namespace

std::vector<std::string> WineEnvironment::variables() const {
    return {"WINEPREFIX=" + prefix, "WINEDEBUG=-all"};
}

std::string defaultWinePrefix() {
    const char* cache = std::getenv("XDG_CACHE_HOME");
    const char* home = std::getenv("HOME");
    const fs::path base =
        cache && *cache ? fs::path(cache) : fs::path(home && *home ? home : "/tmp") / ".cache";
    return (base / "socklens" / "wine-prefix").string();
}

std::optional<std::string> winsockUnavailable(const std::string& helperExe) {
    std::string why;
    if (!findOnPath("wine"))
        why = noWine();
    if (::access(helperExe.c_str(), R_OK) != 0)
        why += std::string(why.empty() ? "" : "; and ") + "the winsock backend needs " + helperExe +
               ", which is not there: it is built with the mingw-w64 cross compiler "
               "(Debian: sudo apt-get install mingw-w64 g++-mingw-w64-x86-64-posix), then "
               "cmake --build again";
    return why.empty() ? std::nullopt : std::optional(why);
}

/// Creates the prefix unless another socklens process did meanwhile.
void createPrefixOnce(const WineEnvironment& environment,
                      const std::function<void(const std::string&)>& progress) {
    std::error_code error;
    fs::create_directories(fs::path(environment.prefix).parent_path(), error);
    if (error)
        throw BrokerError("cannot create " + fs::path(environment.prefix).parent_path().string() +
                          " for the Wine prefix: " + error.message());
    // Another socklens may be making the prefix right now: one wineboot, the others wait.
    const std::string lockPath = environment.prefix + ".lock";
    const platform::UniqueFd lock(::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
    if (!lock.valid() || ::flock(lock.get(), LOCK_EX) != 0)
        throw BrokerError("cannot lock " + lockPath + ": " + std::strerror(errno));
    if (!fs::exists(readyMarker(environment.prefix))) {
        progress("creating the Wine prefix " + environment.prefix +
                 " with wineboot (once; this takes tens of seconds)");
        createPrefix(environment);
    }
}

void startServer(const WineEnvironment& wine, const std::string& helperExe) {
    // With a server of this prefix already running, this one just exits again.
    if (const std::optional<std::string> server = findOnPath("wineserver"))
        runQuietly(*server, {*server, kServerLinger}, wine.variables(), kWarmUpBound);
    const std::string ending =
        runQuietly(wine.wine, {wine.wine, helperExe, "--version"}, wine.variables(), kWarmUpBound);
    if (ending != "exited with status 0")
        throw BrokerError("Wine could not run " + helperExe + " (" + ending +
                          "). Run `WINEPREFIX=" + wine.prefix + " wine " + helperExe +
                          " --version` to see why");
}

WineEnvironment prepareWine(const std::string& helperExe,
                            const std::function<void(const std::string&)>& progress) {
    const std::optional<std::string> wine = findOnPath("wine");
    if (!wine)
        throw BrokerError(noWine());
    WineEnvironment environment{*wine, defaultWinePrefix()};
    if (!fs::exists(readyMarker(environment.prefix)))
        createPrefixOnce(environment, progress);
    startServer(environment, helperExe);
    return environment;
}

} // namespace socklens::broker
