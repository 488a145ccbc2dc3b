// Where the helper programs are found when BrokerOptions names none.
#include "broker/broker.h"

#include <cstdlib>
#include <filesystem>

namespace socklens::broker {

std::string defaultHelperPath(Platform platform) {
    const bool winsock = platform == Platform::WinsockWine;
    if (const char* overridden =
            std::getenv(winsock ? "SOCKLENS_WINSOCK_HELPER" : "SOCKLENS_HELPER"))
        return overridden;
    std::error_code error;
    const auto programs = std::filesystem::read_symlink("/proc/self/exe", error).parent_path();
    const char* name = winsock ? "socklens-helper.exe" : "socklens-helper";
    // In the build tree both helpers sit next to the programs; installed, the Windows
    // executable lives in the package's private directory (/usr/lib/socklens).
    const std::filesystem::path beside = programs / name;
    const std::filesystem::path installed = programs / ".." / "lib" / "socklens" / name;
    if (!std::filesystem::exists(beside, error) && std::filesystem::exists(installed, error))
        return installed.lexically_normal().string();
    return beside.string();
}

BrokerOptions withDefaultPaths(BrokerOptions options) {
    if (options.helperPath.empty())
        options.helperPath = defaultHelperPath(Platform::Linux);
    if (options.winsockHelperPath.empty())
        options.winsockHelperPath = defaultHelperPath(Platform::WinsockWine);
    return options;
}

} // namespace socklens::broker
