// A command the broker could not carry out, with the sentence the user is shown and, when an
// OS call failed, the name of its error code ("EBADF", "WSAEINVAL") so scripts can match it.
#pragma once

#include "model/ids.h"

#include <stdexcept>
#include <string>

namespace socklens::broker {

class BrokerError : public std::runtime_error {
public:
    explicit BrokerError(const std::string& sentence, std::string codeName = {},
                         Sequence journaledAt = {})
        : std::runtime_error(sentence)
        , codeName_(std::move(codeName))
        , journaledAt_(journaledAt) {}
    const std::string& codeName() const { return codeName_; }
    /// The CommandFailed entry that records it, when one does.
    Sequence journaledAt() const { return journaledAt_; }

private:
    std::string codeName_;
    Sequence journaledAt_;
};

} // namespace socklens::broker
