#include "platform/posix/unique_fd.h"

#include <unistd.h>

namespace socklens::platform {

void UniqueFd::reset(int fd) {
    if (fd_ >= 0)
        ::close(fd_);
    fd_ = fd;
}

} // namespace socklens::platform
