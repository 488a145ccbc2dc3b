// How much a helper may put into the journal unasked (events, and notes about descriptors it
// sent with no frame): a flood is cut at a rate and a total, with one sentence each time, so
// one helper cannot grow the journal or the memory without bound.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

namespace socklens::broker {

class UnsolicitedBudget {
public:
    static constexpr std::size_t kPerSecond = 1000;
    static constexpr std::size_t kTotal = 100000;

    struct Verdict {
        bool journal = true;
        /// Set the first time entries are held back (per second over the rate, and once the
        /// total is reached): what to tell the journal about it.
        std::optional<std::string> announce;
    };
    Verdict admit(std::chrono::steady_clock::time_point now);

private:
    std::chrono::steady_clock::time_point windowStart_{};
    std::size_t inWindow_ = 0;
    std::size_t heldInWindow_ = 0;
    std::size_t admitted_ = 0;
    bool totalAnnounced_ = false;
};

} // namespace socklens::broker
