// Handles across processes: who else holds the objects behind the helper's handles (the system
// handle table), and a child process that inherits the helper's handles. One implementation per
// OS (platform/win32/process_handles_win32.cpp, platform/posix/process_handles_posix.cpp).
#pragma once

#include "model/ids.h"
#include "protocol/messages.h"

#include <charconv>
#include <chrono>
#include <optional>
#include <span>
#include <string_view>

namespace socklens::platform {

/// Winsock: every handle in every process to the same object as each of `references`, read from
/// NtQuerySystemInformation(SystemExtendedHandleInformation), with its OBJ_INHERIT flag; the
/// processes running; and what the platform does not report. Handles copied in to compare are
/// closed at once and left out. Linux: throws OsError (EOPNOTSUPP): /proc tells the broker.
protocol::HoldersReply listHolders(std::span<const protocol::HandleReference> references);

/// Winsock: the processes of the prefix and the socket handles of the process `pid` (0: none),
/// each with its OBJ_INHERIT flag, copied into this helper, read with getsockname, getpeername
/// and getsockopt, and closed at once (never kept, never counted). Linux: throws OsError
/// (EOPNOTSUPP): the broker reads /proc.
protocol::ProcessSocketsReply listProcessSockets(std::int64_t pid);

/// Whether a child started later inherits `handle`. Winsock: SetHandleInformation
/// (HANDLE_FLAG_INHERIT). Linux: fcntl(F_SETFD) with FD_CLOEXEC cleared or set. Throws OsError.
void setInheritable(Handle handle, bool inheritable);
/// Whether a child gets `handle` (the flag setInheritable sets), read through it; Unknown where
/// the OS does not tell.
Inheritance inheritanceOf(Handle handle);

/// Starts a child of this helper that holds only what it inherits and ends after `lifetime`.
/// Winsock: CreateProcess(bInheritHandles = `inherit`), so every inheritable handle goes with
/// it (not a socket made with WSA_FLAG_NO_HANDLE_INHERIT). Linux: fork and exec, so every
/// descriptor without close-on-exec goes with it when `inherit`, none when not.
protocol::ListedProcess startChild(bool inherit, std::chrono::milliseconds lifetime);

/// The main of such a child: waits out its lifetime, holding what it inherited.
int runInheritingChild(std::chrono::milliseconds lifetime);

/// The command-line switch that makes a helper such a child.
inline constexpr const char* kInheritingChildSwitch = "--inheriting-child";

/// The lifetime the switch's argument asks for (whole milliseconds), or nothing when `text`
/// is not one; both helpers' main() read it the same way.
inline std::optional<std::chrono::milliseconds> inheritingChildLifetime(std::string_view text) {
    int milliseconds = -1;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), milliseconds);
    if (error != std::errc() || end != text.data() + text.size() || milliseconds < 0)
        return std::nullopt;
    return std::chrono::milliseconds(milliseconds);
}

} // namespace socklens::platform
