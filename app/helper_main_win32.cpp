// socklens-helper.exe: holds Winsock sockets and runs the broker's commands on them. The broker
// starts it as `wine socklens-helper.exe` and speaks the framed protocol over stdin/stdout.
#include "helper/helper_loop.h"
#include "platform/process_handles.h"
#include "version.h"

#include <iostream>
#include <string_view>

namespace {

constexpr const char* kUsage =
    "usage: socklens-helper.exe              (started by the broker: frames on stdin/stdout)\n"
    "       socklens-helper.exe --inheriting-child MS (started by a helper: holds what it\n"
    "                                             inherited for MS milliseconds)\n"
    "       socklens-helper.exe --version | --help\n";

} // namespace

int main(int argc, char** argv) {
    const std::string_view command = argc > 1 ? argv[1] : "";
    if (argc == 1)
        return socklens::helper::serveBrokerOverStdio();
    if (argc == 2 && command == "--version") {
        std::cout << "socklens-helper.exe " << socklens::kVersion << '\n';
        return 0;
    }
    if (argc == 3 && command == socklens::platform::kInheritingChildSwitch) {
        if (const auto lifetime = socklens::platform::inheritingChildLifetime(argv[2]))
            return socklens::platform::runInheritingChild(*lifetime);
    }
    if (argc == 2 && command == "--help") {
        std::cout << kUsage;
        return 0;
    }
    std::cerr << kUsage;
    return 2;
}
