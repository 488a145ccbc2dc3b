// Runs socklens-cli as a user would, for the CLI tests.
#pragma once

#include <array>
#include <cstdio>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace socklens::testing {

struct CliOutcome {
    int exitCode = -1;
    std::string output; ///< stdout and stderr together
};

/// Runs a shell command line, as the CLI tests run the CLI and the tools they compare it with.
inline CliOutcome runCommand(const std::string& commandLine) {
    const std::string command = commandLine + " 2>&1";
    CliOutcome outcome;
    FILE* pipe = ::popen(command.c_str(), "r");
    std::array<char, 4096> buffer;
    while (std::size_t read = std::fread(buffer.data(), 1, buffer.size(), pipe))
        outcome.output.append(buffer.data(), read);
    const int status = ::pclose(pipe);
    outcome.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return outcome;
}

inline CliOutcome runCli(const std::string& arguments) {
    return runCommand(std::string(SOCKLENS_CLI_PATH) + " " + arguments);
}

inline std::string cliTemporaryPath(const std::string& name) {
    return "/tmp/socklens-cli-test-" + std::to_string(::getpid()) + "-" + name;
}

} // namespace socklens::testing
