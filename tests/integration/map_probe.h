// For the machine-map tests: runs `socklens-cli map` and reads its JSON, and reads `ss -p`'s
// holders of a socket as the independent reference (ss parses nothing of socklens).
#pragma once

#include "cli_runner.h"

#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace socklens::testing {

using PidFd = std::pair<long long, long long>;

/// `socklens-cli map ARGUMENTS --json FILE`, parsed; throws when it fails.
inline nlohmann::json mapJson(const std::string& arguments) {
    const std::string path = cliTemporaryPath("map.json");
    const CliOutcome outcome = runCli("map " + arguments + " --json " + path);
    if (outcome.exitCode != 0)
        throw std::runtime_error("map " + arguments + " failed: " + outcome.output);
    std::ifstream file(path);
    nlohmann::json json = nlohmann::json::parse(file);
    ::unlink(path.c_str());
    return json;
}

/// The one socket with `inode` in a map's JSON, or null.
inline nlohmann::json socketIn(const nlohmann::json& map, std::uint64_t inode) {
    for (const nlohmann::json& socket : map["sockets"])
        if (socket["inode"] == inode)
            return socket;
    return nullptr;
}

inline std::set<PidFd> holdersIn(const nlohmann::json& socket) {
    std::set<PidFd> holders;
    for (const nlohmann::json& holder : socket["holders"])
        holders.emplace(holder["pid"].get<long long>(), holder["fd"].get<long long>());
    return holders;
}

/// The output of a shell command.
inline std::string commandOutput(const std::string& command) {
    std::string output;
    FILE* pipe = ::popen(command.c_str(), "r");
    char buffer[4096];
    while (std::size_t read = std::fread(buffer, 1, sizeof buffer, pipe))
        output.append(buffer, read);
    ::pclose(pipe);
    return output;
}

/// (pid, fd) pairs of an ss(8) "users:((...))" column.
inline std::set<PidFd> ssUsers(const std::string& line) {
    std::set<PidFd> users;
    static const std::regex user("pid=(\\d+),fd=(\\d+)");
    for (std::sregex_iterator it(line.begin(), line.end(), user), end; it != end; ++it)
        users.emplace(std::stoll((*it)[1]), std::stoll((*it)[2]));
    return users;
}

/// ss -tlnp's holders of the TCP listener on `port`.
inline std::set<PidFd> ssListenerHolders(int port) {
    return ssUsers(commandOutput("ss -tlnpH 'sport = :" + std::to_string(port) + "'"));
}

/// ss -xap's holders of every Unix socket, by inode (its local "port" column).
inline std::map<std::uint64_t, std::set<PidFd>> ssUnixHolders() {
    std::map<std::uint64_t, std::set<PidFd>> holders;
    std::istringstream lines(commandOutput("ss -xapH"));
    for (std::string line; std::getline(lines, line);) {
        std::istringstream fields(line);
        std::string netid, state, rq, sq, local, inode;
        if (fields >> netid >> state >> rq >> sq >> local >> inode)
            holders[std::stoull(inode)] = ssUsers(line);
    }
    return holders;
}

} // namespace socklens::testing
