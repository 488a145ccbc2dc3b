// socklens-cli: the engine without a display. Returns the process exit code:
// 0 all expectations held, 1 an expectation or step failed, 2 bad usage, 3 bad input.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace socklens::cli {

int runCli(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err);

} // namespace socklens::cli
