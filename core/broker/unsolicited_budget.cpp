#include "broker/unsolicited_budget.h"

namespace socklens::broker {

UnsolicitedBudget::Verdict UnsolicitedBudget::admit(std::chrono::steady_clock::time_point now) {
    if (now - windowStart_ >= std::chrono::seconds(1)) {
        windowStart_ = now;
        inWindow_ = 0;
        heldInWindow_ = 0;
    }
    if (admitted_ >= kTotal) {
        if (totalAnnounced_)
            return {false, std::nullopt};
        totalAnnounced_ = true;
        return {false, "has put " + std::to_string(kTotal) +
                           " unasked entries into the journal; its further events are not "
                           "journaled"};
    }
    if (inWindow_ >= kPerSecond) {
        if (heldInWindow_++ > 0)
            return {false, std::nullopt};
        return {false, "sends more than " + std::to_string(kPerSecond) +
                           " events a second; the rest of this second's are not journaled"};
    }
    ++inWindow_;
    ++admitted_;
    return {true, std::nullopt};
}

} // namespace socklens::broker
