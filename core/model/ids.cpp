#include "model/ids.h"

namespace socklens {

std::string toString(const DescriptorRef& ref) {
    return "P" + std::to_string(ref.process.value()) + ":" + std::to_string(ref.handle.value());
}

} // namespace socklens
