#include "broker/wine_linux_pid.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <dirent.h>
#include <fstream>
#include <iterator>

namespace socklens::broker {

namespace {

/// A /proc file of NUL-separated strings, at most `limit` bytes of it.
std::string readProcFile(const std::string& path, std::size_t limit) {
    std::ifstream file(path, std::ios::binary);
    std::string text;
    text.resize(limit);
    file.read(text.data(), std::streamsize(limit));
    text.resize(std::size_t(file.gcount()));
    return text;
}

bool sameImage(std::string_view windowsPath, std::string_view image) {
    const std::size_t slash = windowsPath.find_last_of("\\/");
    const std::string_view name =
        slash == std::string_view::npos ? windowsPath : windowsPath.substr(slash + 1);
    return std::equal(name.begin(), name.end(), image.begin(), image.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
    });
}

} // namespace

std::optional<OsPid> wineLinuxPid(const std::string& prefix, const std::string& image,
                                  const std::set<std::int64_t>& known) {
    DIR* proc = ::opendir("/proc");
    if (!proc)
        return std::nullopt;
    const std::string wanted = "WINEPREFIX=" + prefix;
    std::optional<OsPid> found;
    int matches = 0;
    while (const dirent* entry = ::readdir(proc)) {
        std::int64_t pid = 0;
        const std::string_view name = entry->d_name;
        const auto [end, error] = std::from_chars(name.data(), name.data() + name.size(), pid);
        if (error != std::errc() || end != name.data() + name.size() || known.contains(pid))
            continue;
        const std::string base = "/proc/" + std::string(name);
        const std::string commandLine = readProcFile(base + "/cmdline", 4096);
        if (!sameImage(commandLine.substr(0, commandLine.find('\0')), image))
            continue;
        const std::string environment = readProcFile(base + "/environ", 256 * 1024);
        std::size_t at = 0;
        bool inPrefix = false;
        while (at < environment.size() && !inPrefix) {
            const std::size_t next = std::min(environment.find('\0', at), environment.size());
            inPrefix = std::string_view(environment).substr(at, next - at) == wanted;
            at = next + 1;
        }
        if (inPrefix) {
            found = OsPid(pid);
            ++matches;
        }
    }
    ::closedir(proc);
    return matches == 1 ? found : std::nullopt;
}

} // namespace socklens::broker
