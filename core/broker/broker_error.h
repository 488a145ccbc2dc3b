// A command the broker could not carry out, with the sentence the user is shown and, when an
// OS call failed, the name of its error code ("EBADF", "WSAEINVAL") so scripts can match it.
#pragma once

#include <stdexcept>
#include <string>

namespace socklens::broker {

class BrokerError : public std::runtime_error {
public:
    explicit BrokerError(const std::string& sentence, std::string codeName = {})
        : std::runtime_error(sentence)
        , codeName_(std::move(codeName)) {}
    const std::string& codeName() const { return codeName_; }

private:
    std::string codeName_;
};

} // namespace socklens::broker
