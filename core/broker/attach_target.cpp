#include "broker/attach_target.h"

namespace socklens::broker {

std::string AttachTarget::text() const {
    const std::string number = std::to_string(value);
    switch (kind) {
    case Kind::Pid:
        return "pid " + number;
    case Kind::Tree:
        return "tree of pid " + number;
    case Kind::Port:
        return "port " + number;
    case Kind::Inode:
        return "inode " + number;
    case Kind::WindowsPid:
        return "Windows pid " + number + " (Wine)";
    }
    return number;
}

} // namespace socklens::broker
