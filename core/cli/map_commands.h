// `socklens-cli map` and `socklens-cli watch`: the machine's sockets and their holders, read
// from the kernel's socket diagnostics and /proc (docs/machine-map.md). Exit codes as runCli:
// 0 done, 2 bad usage, 3 an output file could not be written.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace socklens::cli {

/// The usage lines of both commands, for socklens-cli --help.
extern const char* const kMapUsage;

/// `arguments` starts with the command's name.
int runMap(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err);
int runWatch(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err);

} // namespace socklens::cli
