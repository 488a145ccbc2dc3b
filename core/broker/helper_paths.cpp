// Where socklens's own programs are found: the helpers when BrokerOptions names none, and the
// CLI's report renderer.
#include "broker/broker.h"

#include <cstdlib>
#include <filesystem>

namespace socklens::broker {

std::string companionProgramPath(const std::string& name) {
    std::error_code error;
    const auto programs = std::filesystem::read_symlink("/proc/self/exe", error).parent_path();
    // In the build tree every program sits next to the others; installed, the private ones
    // (the Windows helper, the report renderer) live in the package's own /usr/lib/socklens.
    const std::filesystem::path beside = programs / name;
    const std::filesystem::path installed = programs / ".." / "lib" / "socklens" / name;
    if (!std::filesystem::exists(beside, error) && std::filesystem::exists(installed, error))
        return installed.lexically_normal().string();
    return beside.string();
}

std::string defaultHelperPath(Platform platform) {
    const bool winsock = platform == Platform::WinsockWine;
    if (const char* overridden =
            std::getenv(winsock ? "SOCKLENS_WINSOCK_HELPER" : "SOCKLENS_HELPER"))
        return overridden;
    return companionProgramPath(winsock ? "socklens-helper.exe" : "socklens-helper");
}

BrokerOptions withDefaultPaths(BrokerOptions options) {
    if (options.helperPath.empty())
        options.helperPath = defaultHelperPath(Platform::Linux);
    if (options.winsockHelperPath.empty())
        options.winsockHelperPath = defaultHelperPath(Platform::WinsockWine);
    return options;
}

} // namespace socklens::broker
