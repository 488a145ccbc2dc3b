// socklens-helper: holds sockets and runs the broker's commands on them (Linux).
#include "broker/child_process.h"
#include "helper/helper_loop.h"
#include "platform/os_error.h"
#include "platform/posix/listen_socket.h"
#include "platform/posix/runtime_dir.h"
#include "platform/process_handles.h"
#include "version.h"

#include <charconv>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <sys/prctl.h>
#include <unistd.h>

namespace {

constexpr const char* kUsage =
    "usage: socklens-helper --channel-fd N   (started by the broker)\n"
    "       socklens-helper --listen [PATH]  (started by hand)\n"
    "       socklens-helper --inheriting-child MS (started by a helper)\n"
    "       socklens-helper --version | --help\n";

int listenForBrokers(std::string path) {
    using namespace socklens::platform;
    if (path.empty())
        path = defaultHelperSocketPath();
    UnixListener listener(path);
    removeOnTerminationSignal(listener.path());
    std::cout << "socklens-helper: listening on " << listener.path() << std::endl;
    for (;;) // one broker at a time, until a signal ends us
        socklens::helper::serveBroker(listener.acceptSameUser(std::cerr).release());
}

/// A helper the broker started dies with it: the broker spawns without fork, so it cannot set
/// this for us. False when the broker is already gone (we were reparented before asking).
bool dieWithTheBroker() {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    const char* broker = std::getenv(socklens::broker::kBrokerPidVariable);
    return !broker || std::to_string(::getppid()) == broker;
}

} // namespace

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN); // a vanished broker shows up as EPIPE, not as our death
    const std::string_view command = argc > 1 ? argv[1] : "";
    try {
        if (argc == 2 && command == "--version") {
            std::cout << "socklens-helper " << socklens::kVersion << '\n';
            return 0;
        }
        if (argc == 2 && command == "--help") {
            std::cout << kUsage;
            return 0;
        }
        if (argc == 3 && command == socklens::platform::kInheritingChildSwitch) {
            if (const auto lifetime = socklens::platform::inheritingChildLifetime(argv[2]))
                return socklens::platform::runInheritingChild(*lifetime);
        }
        if ((argc == 2 || argc == 3) && command == "--listen")
            return listenForBrokers(argc == 3 ? argv[2] : "");
        if (argc == 3 && command == "--channel-fd") {
            const std::string_view text = argv[2];
            int fd = -1;
            const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), fd);
            if (error == std::errc() && end == text.data() + text.size() && fd >= 0)
                return dieWithTheBroker() ? socklens::helper::serveBroker(fd) : 1;
        }
    } catch (const socklens::platform::OsError& error) {
        std::cerr << "socklens-helper: " << error.sentence() << '\n';
        return 1;
    }
    std::cerr << kUsage;
    return 2;
}
