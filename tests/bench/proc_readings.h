// What the benchmarks read of a process and of the machine from /proc: CPU time, memory and
// the load average, printed beside every figure.
#pragma once

#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <unistd.h>

namespace socklens::bench {

/// utime + stime in seconds from a /proc/.../stat file (clock-tick resolution); 0 when it
/// cannot be read.
inline double statCpuSeconds(const std::string& statPath) {
    std::ifstream in(statPath);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // The command name may hold spaces and parentheses; the fields start after the last ')'.
    const auto close = text.rfind(')');
    if (close == std::string::npos)
        return 0;
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    double ticks = 0;
    for (int i = 3; fields >> field && i <= 15; ++i) {
        if (i >= 14)
            ticks += std::stod(field);
    }
    return ticks / double(::sysconf(_SC_CLK_TCK));
}

/// A line such as "VmRSS:" or "VmHWM:" of a /proc/.../status file, in MiB; 0 when missing.
inline double statusMiB(const std::string& statusPath, const char* key) {
    std::ifstream in(statusPath);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(key, 0) == 0)
            return std::stod(line.substr(std::strlen(key))) / 1024.0;
    }
    return 0;
}

/// The machine's one-minute load average.
inline double loadAverage() {
    double load = 0;
    std::ifstream("/proc/loadavg") >> load;
    return load;
}

} // namespace socklens::bench
