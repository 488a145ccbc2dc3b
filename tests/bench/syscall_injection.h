// OS changes the broker did not command, for the GUI benchmark: a close injected into a
// helper with ptrace, on a thread of its own.
#pragma once

#include "sample_statistics.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <sys/types.h>
#include <thread>

namespace socklens::bench {

// The helper waits in poll(); it is stopped with PTRACE_INTERRUPT, made to run one system call
// (close(fd)) at the `syscall` instruction of that poll,
// and let go with its registers restored: poll() restarts as after any signal. The helpers are
// our children, so no privilege is needed beyond the default ptrace policy. x86-64 only.

struct Injection {
    bool ok = false;
    bool retry = false; ///< the helper was not waiting in poll(): try again shortly
    long result = 0;
    Clock::time_point at; ///< just after the system call returned in the helper
    std::string why;
};

/// Runs system call `number`(a, b) in the helper `pid`, which must be waiting in poll().
Injection injectSyscall(pid_t pid, long number, long a, long b);

/// A thread of its own does the ptrace work (the tracer must stay the same thread, and the GUI
/// thread must not be charged for it).
class OsChanger {
public:
    using Done = std::function<void(const Injection&)>;

    OsChanger()
        : thread_([this] { run(); }) {}
    ~OsChanger() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        thread_.join();
    }

    /// close(fd) in `pid`; `done` runs on the changer's thread.
    void close(pid_t pid, int fd, Done done);

private:
    struct Job {
        pid_t pid;
        long number;
        long a;
        long b;
        Done done;
    };

    void push(Job job);
    void run();

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> jobs_;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace socklens::bench
