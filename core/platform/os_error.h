// An OS call that failed, as a person should read it: the call, the code's name and a sentence.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace socklens::platform {

class OsError : public std::runtime_error {
public:
    OsError(std::string call, std::int32_t code, std::string codeName, std::string sentence);

    /// From errno (Linux) or WSAGetLastError() (Winsock) right after the failing call.
    static OsError fromLastError(std::string call);

    const std::string& call() const { return call_; }
    std::int32_t code() const { return code_; }
    const std::string& codeName() const { return codeName_; }
    const std::string& sentence() const { return sentence_; }

private:
    std::string call_;
    std::int32_t code_;
    std::string codeName_;
    std::string sentence_;
};

} // namespace socklens::platform
