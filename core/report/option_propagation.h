// Option propagation (C5): for every setsockopt, what the other descriptors of the same
// socket read afterwards. Derived from the journal, because the state keeps only the last
// reading of each option.
#pragma once

#include "model/journal_entry.h"

#include <span>
#include <vector>

namespace socklens::report {

struct OptionRead {
    Sequence at;
    DescriptorRef through;
    std::int64_t value = 0;
    std::int32_t errorCode = 0;
};

struct OptionPropagation {
    Sequence at; ///< the OptionSet entry
    DescriptorRef through;
    SocketId socket;
    SocketOption option = SocketOption::RcvBuf;
    std::int64_t requested = 0;
    std::int64_t effective = 0;
    /// The first reading through each other descriptor of the socket, until the option is
    /// set again on that socket.
    std::vector<OptionRead> reads;
    /// Every other descriptor read the effective value (and at least one did read).
    bool propagated() const;
};

std::vector<OptionPropagation> optionPropagation(std::span<const JournalEntry> journal);

} // namespace socklens::report
