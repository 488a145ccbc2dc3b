// A child of the test process that runs a body and then waits to be killed: the real
// programs of the machine-map tests (a forking server, processes passing a socket, ...).
// The child reports what it made as "key value" lines on a pipe; the test reads them with a
// bound. Each child leads its own process group, so killing the group ends its own children
// too, also those that outlived it.
#pragma once

#include <chrono>
#include <csignal>
#include <functional>
#include <poll.h>
#include <stdexcept>
#include <string>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace socklens::testing {

/// What a child's body can do: report a line, wait for the test's go.
class ChildChannel {
public:
    ChildChannel(int report, int command)
        : report_(report)
        , command_(command) {}
    void report(const std::string& key, long long value) const {
        const std::string line = key + " " + std::to_string(value) + "\n";
        [[maybe_unused]] const ssize_t written = ::write(report_, line.data(), line.size());
    }
    /// Blocks until the test calls ForkedProcess::go().
    void waitForGo() const {
        char byte;
        while (::read(command_, &byte, 1) < 0 && errno == EINTR) {
        }
    }

private:
    int report_;
    int command_;
};

class ForkedProcess {
public:
    ForkedProcess(const std::string& name, const std::function<void(const ChildChannel&)>& body) {
        int report[2], command[2];
        if (::pipe(report) != 0 || ::pipe(command) != 0)
            throw std::runtime_error("pipe failed");
        pid_ = ::fork();
        if (pid_ == 0) {
            ::setpgid(0, 0);
            ::prctl(PR_SET_NAME, name.c_str());
            ::prctl(PR_SET_PDEATHSIG, SIGKILL); // never outlive a crashed test
            ::close(report[0]);
            ::close(command[1]);
            body(ChildChannel(report[1], command[0]));
            for (;;)
                ::pause();
        }
        ::setpgid(pid_, pid_); // also here: no race with the child's own call
        ::close(report[1]);
        ::close(command[0]);
        report_ = report[0];
        command_ = command[1];
    }
    ForkedProcess(const ForkedProcess&) = delete;
    ForkedProcess& operator=(const ForkedProcess&) = delete;
    ~ForkedProcess() {
        ::kill(-pid_, SIGKILL);
        ::kill(pid_, SIGKILL);
        if (!reaped_)
            ::waitpid(pid_, nullptr, 0);
        ::close(report_);
        ::close(command_);
    }

    pid_t pid() const { return pid_; }

    /// The value of the next reported line with `key`; lines with other keys wait for their
    /// own read (a child and its children write to the same pipe, in any order). Throws when
    /// none comes within 10 s.
    long long read(const std::string& key) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        for (;;) {
            for (std::size_t start = 0, end; (end = buffer_.find('\n', start)) != std::string::npos;
                 start = end + 1) {
                if (buffer_.compare(start, key.size() + 1, key + " ") == 0) {
                    const long long value = std::stoll(buffer_.substr(start + key.size() + 1));
                    buffer_.erase(start, end + 1 - start);
                    return value;
                }
            }
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            pollfd ready{report_, POLLIN, 0};
            char chunk[256];
            ssize_t got = 0;
            if (left.count() <= 0 || ::poll(&ready, 1, int(left.count())) <= 0 ||
                (got = ::read(report_, chunk, sizeof chunk)) <= 0)
                throw std::runtime_error("the child did not report \"" + key + "\" in time");
            buffer_.append(chunk, std::size_t(got));
        }
    }

    void go() { [[maybe_unused]] const ssize_t written = ::write(command_, "g", 1); }

    /// Kills the child alone (not its group) and reaps it: its own children outlive it.
    void killLeaderOnly() {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        reaped_ = true;
    }

private:
    pid_t pid_ = -1;
    int report_ = -1;
    int command_ = -1;
    bool reaped_ = false;
    std::string buffer_;
};

} // namespace socklens::testing
