// The options `map` and `watch` share (the filters) and the number parsing behind them.
#pragma once

#include "sysmap/machine_map.h"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace socklens::cli {

class MapUsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A whole decimal number from `min` to `max`, or MapUsageError naming `option`.
std::int64_t parseNumberOption(const std::string& option, const std::string& text, std::int64_t min,
                               std::int64_t max);

/// Consumes the filter option at arguments[i] (and its value); false when it is not one.
bool parseFilterOption(const std::vector<std::string>& arguments, std::size_t& i,
                       sysmap::MapFilter& filter);

/// The value of the option at arguments[i], advancing i; MapUsageError when missing.
const std::string& optionValue(const std::vector<std::string>& arguments, std::size_t& i);

} // namespace socklens::cli
