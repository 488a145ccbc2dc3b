// What the benchmarks read of a process and of the machine (CPU time, memory, the number of
// processes and the load average, printed beside every figure), and the one limit they raise.
#pragma once

#include <cstddef>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <sys/resource.h>
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

/// The CPU time of a thread's clock (CLOCK_THREAD_CPUTIME_ID for the calling thread, or one
/// from pthread_getcpuclockid()), in seconds.
inline double threadCpuSeconds(clockid_t clock = CLOCK_THREAD_CPUTIME_ID) {
    timespec now{};
    ::clock_gettime(clock, &now);
    return double(now.tv_sec) + double(now.tv_nsec) / 1e9;
}

/// The processes in /proc: how busy the machine is beside the load average.
inline std::size_t processCount() {
    std::size_t count = 0;
    if (DIR* proc = ::opendir("/proc")) {
        while (dirent* entry = ::readdir(proc))
            count += entry->d_name[0] >= '0' && entry->d_name[0] <= '9' ? 1 : 0;
        ::closedir(proc);
    }
    return count;
}

/// The soft descriptor limit up to the hard one: sessions of thousands of sockets (and the
/// helpers, which inherit it).
inline void raiseDescriptorLimit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

} // namespace socklens::bench
