// The benchmarks' machine with many shared sockets: P parent processes with K socketpairs
// each, every parent forked once after making them, so each socket is held by two processes
// (200 processes and 20 000 socket descriptors for 100 x 50). Made before any thread starts
// (it forks); every process is killed when the object goes.
#pragma once

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace socklens::bench {

/// The parents (each leads a process group holding it and its child); killed at the end.
class SharedSocketsMachine {
public:
    /// Whether this process may hold what a parent of `pairs` socketpairs holds; says why
    /// not on stderr.
    static bool fitsDescriptorLimit(int pairs) {
        rlimit files{};
        ::getrlimit(RLIMIT_NOFILE, &files);
        if (files.rlim_cur >= rlim_t(2 * pairs + 64))
            return true;
        std::fprintf(stderr, "the descriptor limit (%llu) is below what a parent needs\n",
                     static_cast<unsigned long long>(files.rlim_cur));
        return false;
    }

    SharedSocketsMachine(int parents, int pairs) {
        int ready[2];
        if (::pipe(ready) != 0)
            std::exit(1);
        for (int p = 0; p < parents; ++p) {
            const pid_t parent = ::fork();
            if (parent == 0) {
                ::setpgid(0, 0);
                ::prctl(PR_SET_PDEATHSIG, SIGKILL);
                ::close(ready[0]);
                for (int i = 0; i < pairs; ++i) {
                    int ends[2];
                    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, ends) != 0)
                        ::_exit(1);
                }
                if (::fork() == 0) { // the child inherits every pair
                    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
                    [[maybe_unused]] auto written = ::write(ready[1], "c", 1);
                    for (;;)
                        ::pause();
                }
                [[maybe_unused]] auto written = ::write(ready[1], "p", 1);
                for (;;)
                    ::pause();
            }
            ::setpgid(parent, parent);
            groups_.push_back(parent);
        }
        ::close(ready[1]);
        char byte;
        for (int told = 0; told < 2 * parents && ::read(ready[0], &byte, 1) == 1; ++told) {
        }
        ::close(ready[0]);
    }
    ~SharedSocketsMachine() {
        for (const pid_t group : groups_)
            ::kill(-group, SIGKILL);
        for (const pid_t group : groups_)
            ::waitpid(group, nullptr, 0);
    }

private:
    std::vector<pid_t> groups_;
};

} // namespace socklens::bench
