// The map benchmark's baseline: every /proc/PID/fd entry of every process read with readlink,
// nothing else — the least any /proc-based holder map must do. Plain libc, so that as a
// program of its own (bare_proc_scan_main.cpp) it starts like a small C program.
#pragma once

#include <cstddef>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <unistd.h>

namespace socklens::bench {

/// The number of socket descriptors found.
inline std::size_t bareProcScan() {
    std::size_t sockets = 0;
    DIR* proc = ::opendir("/proc");
    while (const dirent* process = ::readdir(proc)) {
        if (process->d_name[0] < '1' || process->d_name[0] > '9')
            continue;
        char path[sizeof "/proc//fd" + sizeof process->d_name];
        std::snprintf(path, sizeof path, "/proc/%s/fd", process->d_name);
        DIR* fds = ::opendir(path);
        if (!fds)
            continue;
        char link[64];
        while (const dirent* fd = ::readdir(fds)) {
            if (fd->d_name[0] == '.')
                continue;
            const ssize_t length = ::readlinkat(::dirfd(fds), fd->d_name, link, sizeof link);
            sockets += length > 7 && std::memcmp(link, "socket:", 7) == 0;
        }
        ::closedir(fds);
    }
    ::closedir(proc);
    return sockets;
}

} // namespace socklens::bench
