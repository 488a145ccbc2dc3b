// The bridge from a platform-neutral Handle to a POSIX file descriptor, shared by the posix/
// implementation files.
#pragma once

#include "model/ids.h"

namespace socklens::platform {

/// The fd a handle names. Throws OsError(EBADF) naming `call` when it cannot be an fd.
int nativeFd(Handle handle, const char* call);

} // namespace socklens::platform
