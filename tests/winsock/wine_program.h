// A Windows program that is not a helper, run under Wine in socklens's prefix by a test: its
// standard output is read line by line, it ends when its standard input is closed.
#pragma once

#include "broker/child_process.h"
#include "broker/wine_environment.h"

#include <chrono>
#include <fcntl.h>
#include <optional>
#include <poll.h>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

namespace socklens::wintest {

class WineProgram {
public:
    WineProgram(const std::string& exe, const std::vector<std::string>& arguments) {
        const broker::WineEnvironment wine =
            broker::prepareWine(SOCKLENS_WINSOCK_HELPER_PATH, [](const std::string&) {});
        int input[2];
        int output[2];
        if (::pipe2(input, O_CLOEXEC) != 0 || ::pipe2(output, O_CLOEXEC) != 0)
            throw std::runtime_error("pipe2 failed");
        std::vector<std::string> argv{wine.wine, exe};
        argv.insert(argv.end(), arguments.begin(), arguments.end());
        pid_ = broker::startChild(
            broker::ChildSpec{wine.wine, argv, {{input[0], 0}, {output[1], 1}}, wine.variables()});
        ::close(input[0]);
        ::close(output[1]);
        stdin_ = input[1];
        stdout_ = output[0];
    }
    ~WineProgram() {
        end();
        if (stdout_ >= 0)
            ::close(stdout_);
        if (pid_.value() > 0)
            broker::reapChild(pid_, std::chrono::seconds(10));
    }
    WineProgram(const WineProgram&) = delete;
    WineProgram& operator=(const WineProgram&) = delete;

    /// The next line it printed (without the newline); nullopt if none came within `bound`.
    std::optional<std::string> readLine(std::chrono::milliseconds bound) {
        while (pending_.find('\n') == std::string::npos) {
            pollfd ready{stdout_, POLLIN, 0};
            if (::poll(&ready, 1, int(bound.count())) <= 0)
                return std::nullopt;
            char buffer[128];
            const ssize_t got = ::read(stdout_, buffer, sizeof buffer);
            if (got <= 0)
                return std::nullopt;
            pending_.append(buffer, std::size_t(got));
        }
        const std::size_t end = pending_.find('\n');
        std::string line = pending_.substr(0, end);
        pending_.erase(0, end + 1);
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        return line;
    }
    /// Closes its standard input: it exits.
    void end() {
        if (stdin_ >= 0)
            ::close(stdin_);
        stdin_ = -1;
    }
    bool awaitExit(std::chrono::milliseconds bound) { return broker::awaitExit(pid_, bound); }
    /// The Linux process Wine runs it in (the one started: Wine execs in place).
    OsPid linuxPid() const { return pid_; }

private:
    OsPid pid_;
    int stdin_ = -1;
    int stdout_ = -1;
    std::string pending_;
};

} // namespace socklens::wintest
