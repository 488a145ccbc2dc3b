#include "cli/map_arguments.h"

#include <charconv>

namespace socklens::cli {

std::int64_t parseNumberOption(const std::string& option, const std::string& text, std::int64_t min,
                               std::int64_t max) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < min ||
        value > max)
        throw UsageError(option + " needs a whole number from " + std::to_string(min) + " to " +
                         std::to_string(max) + " (got \"" + text + "\")");
    return value;
}

const std::string& optionValue(const std::vector<std::string>& arguments, std::size_t& i) {
    if (i + 1 >= arguments.size())
        throw UsageError(arguments[i] + " needs a value");
    return arguments[++i];
}

bool parseFilterOption(const std::vector<std::string>& arguments, std::size_t& i,
                       sysmap::MapFilter& filter) {
    const std::string& option = arguments[i];
    constexpr std::int64_t kMaxPid = 4194304; // PID_MAX_LIMIT
    if (option == "--pid")
        filter.pids.push_back(parseNumberOption(option, optionValue(arguments, i), 1, kMaxPid));
    else if (option == "--tree")
        filter.trees.push_back(parseNumberOption(option, optionValue(arguments, i), 1, kMaxPid));
    else if (option == "--port")
        filter.port = std::uint16_t(parseNumberOption(option, optionValue(arguments, i), 1, 65535));
    else if (option == "--inode")
        filter.inode =
            std::uint64_t(parseNumberOption(option, optionValue(arguments, i), 1, INT64_MAX));
    else if (option == "--shared")
        filter.shared = true;
    else
        return false;
    return true;
}

} // namespace socklens::cli
