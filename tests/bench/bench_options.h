// The benchmarks' command-line options of the form --NAME=N.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <string>

namespace socklens::bench {

/// Sets `value` (at least 1) from `argument` when it is --`name`=N; false when it is not.
inline bool numberOption(const std::string& argument, const char* name, int& value) {
    const std::string prefix = std::string("--") + name + "=";
    if (argument.rfind(prefix, 0) != 0)
        return false;
    value = std::max(1, std::atoi(argument.c_str() + prefix.size()));
    return true;
}

} // namespace socklens::bench
