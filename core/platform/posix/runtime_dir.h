// Where sockets of helpers started by hand live: a directory only our user may enter.
#pragma once

#include <string>

namespace socklens::platform {

/// $XDG_RUNTIME_DIR/socklens, or /tmp/socklens-<uid> when XDG_RUNTIME_DIR is unset; created
/// with mode 0700 when missing, refused when it is not ours alone. Throws OsError.
std::string helperSocketDirectory();

/// helperSocketDirectory()/helper-<pid>.sock for this process. Throws OsError.
std::string defaultHelperSocketPath();

} // namespace socklens::platform
