#include "platform/os_error.h"

#include <utility>

namespace socklens::platform {

OsError::OsError(std::string call, std::int32_t code, std::string codeName, std::string sentence)
    : std::runtime_error(sentence)
    , call_(std::move(call))
    , code_(code)
    , codeName_(std::move(codeName))
    , sentence_(std::move(sentence)) {}

} // namespace socklens::platform
