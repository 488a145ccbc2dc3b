// Command-line parsing the commands share: the usage error, option values and numbers, and the
// filters of `map` and `watch`.
#pragma once

#include "sysmap/machine_map.h"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace socklens::cli {

/// A command line socklens-cli cannot run: the sentence, then the usage, exit status 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A whole decimal number from `min` to `max`, or UsageError naming `option`.
std::int64_t parseNumberOption(const std::string& option, const std::string& text, std::int64_t min,
                               std::int64_t max);

/// Consumes the filter option at arguments[i] (and its value); false when it is not one.
bool parseFilterOption(const std::vector<std::string>& arguments, std::size_t& i,
                       sysmap::MapFilter& filter);

/// The value of the option at arguments[i], advancing i; UsageError when missing.
const std::string& optionValue(const std::vector<std::string>& arguments, std::size_t& i);

} // namespace socklens::cli
