#include "syscall_injection.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <sys/syscall.h>
#include <sys/wait.h>
#if defined(__x86_64__)
#include <sys/ptrace.h>
#include <sys/user.h>
#endif

namespace socklens::bench {

using std::chrono::milliseconds;

#if defined(__x86_64__)
Injection injectSyscall(pid_t pid, long number, long a, long b) {
    Injection injection;
    auto failed = [&](const char* call) {
        injection.why = std::string(call) + ": " + std::strerror(errno);
        return injection;
    };
    if (::ptrace(PTRACE_SEIZE, pid, nullptr, nullptr) != 0)
        return failed("PTRACE_SEIZE");
    int status = 0;
    if (::ptrace(PTRACE_INTERRUPT, pid, nullptr, nullptr) != 0 ||
        ::waitpid(pid, &status, __WALL) != pid || !WIFSTOPPED(status)) {
        ::ptrace(PTRACE_DETACH, pid, nullptr, nullptr);
        return failed("PTRACE_INTERRUPT");
    }
    user_regs_struct saved{};
    if (::ptrace(PTRACE_GETREGS, pid, nullptr, &saved) != 0) {
        ::ptrace(PTRACE_DETACH, pid, nullptr, nullptr);
        return failed("PTRACE_GETREGS");
    }
    errno = 0;
    const long code = ::ptrace(PTRACE_PEEKTEXT, pid, saved.rip - 2, nullptr);
    const bool inPoll = (long(saved.orig_rax) == SYS_poll || long(saved.orig_rax) == SYS_ppoll) &&
                        errno == 0 && (code & 0xffff) == 0x050f; // "syscall"
    if (!inPoll) {
        ::ptrace(PTRACE_DETACH, pid, nullptr, nullptr);
        injection.retry = true;
        injection.why = "not waiting in poll() (stopped in system call " +
                        std::to_string(long(saved.orig_rax)) + ")";
        return injection;
    }
    user_regs_struct call = saved;
    call.rip = saved.rip - 2;
    call.rax = std::uint64_t(number);
    call.orig_rax = std::uint64_t(-1); // no syscall restart for the injected call
    call.rdi = std::uint64_t(a);
    call.rsi = std::uint64_t(b);
    if (::ptrace(PTRACE_SETREGS, pid, nullptr, &call) != 0 ||
        ::ptrace(PTRACE_SINGLESTEP, pid, nullptr, nullptr) != 0 ||
        ::waitpid(pid, &status, __WALL) != pid) {
        ::ptrace(PTRACE_SETREGS, pid, nullptr, &saved);
        ::ptrace(PTRACE_DETACH, pid, nullptr, nullptr);
        return failed("PTRACE_SINGLESTEP");
    }
    injection.at = Clock::now();
    user_regs_struct after{};
    ::ptrace(PTRACE_GETREGS, pid, nullptr, &after);
    const bool stepped = WIFSTOPPED(status) && WSTOPSIG(status) == SIGTRAP;
    ::ptrace(PTRACE_SETREGS, pid, nullptr, &saved); // poll() restarts where it was
    ::ptrace(PTRACE_DETACH, pid, nullptr, nullptr);
    if (!stepped) {
        injection.why = "the helper stopped for something else during the call";
        return injection;
    }
    injection.result = long(after.rax);
    injection.ok = injection.result >= 0;
    if (!injection.ok)
        injection.why =
            std::string("the call failed in the helper: ") + std::strerror(int(-injection.result));
    return injection;
}
#else
Injection injectSyscall(pid_t, long, long, long) {
    Injection injection;
    injection.why = "injection is implemented for x86-64 only";
    return injection;
}
#endif

void OsChanger::close(pid_t pid, int fd, Done done) {
    push({pid, SYS_close, fd, 0, std::move(done)});
}

void OsChanger::push(Job job) {
    {
        std::lock_guard lock(mutex_);
        jobs_.push_back(std::move(job));
    }
    wake_.notify_all();
}

void OsChanger::run() {
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
            if (stopping_)
                return;
            job = std::move(jobs_.front());
            jobs_.pop_front();
        }
        Injection injection;
        const Clock::time_point deadline = Clock::now() + std::chrono::seconds(5);
        int attempts = 0;
        do {
            injection = injectSyscall(job.pid, job.number, job.a, job.b);
            ++attempts;
            if (injection.retry)
                std::this_thread::sleep_for(milliseconds(2));
        } while (injection.retry && Clock::now() < deadline);
        if (injection.retry)
            injection.why += " in " + std::to_string(attempts) + " attempts over 5 s";
        job.done(injection);
    }
}

} // namespace socklens::bench
