// Winsock: how many handles name a socket object, from the Windows object manager
// (NtQueryObject(ObjectBasicInformation).HandleCount): every process's handles, not only ours.
#include "platform/os_error.h"
#include "platform/socket_api.h"
#include "platform/win32/ntdll.h"

#include <cstdio>
#include <winternl.h>

namespace socklens::platform {

namespace {

using QueryObject = NTSTATUS(NTAPI*)(HANDLE, OBJECT_INFORMATION_CLASS, PVOID, ULONG, PULONG);

OsError queryFailed(const std::string& why) {
    return OsError("NtQueryObject(ObjectBasicInformation)", WSAEOPNOTSUPP, "WSAEOPNOTSUPP",
                   "NtQueryObject(ObjectBasicInformation) failed: " + why + " (WSAEOPNOTSUPP)");
}

} // namespace

std::optional<std::uint32_t> handleCount(Handle handle) {
    static const auto query = ntdllFunction<QueryObject>("NtQueryObject");
    if (!query)
        throw queryFailed("ntdll.dll has no NtQueryObject");
    PUBLIC_OBJECT_BASIC_INFORMATION information{};
    ULONG length = 0;
    const NTSTATUS status = query(reinterpret_cast<HANDLE>(handle.value()), ObjectBasicInformation,
                                  &information, sizeof information, &length);
    if (status != 0) {
        char code[16];
        std::snprintf(code, sizeof code, "%08lx", static_cast<unsigned long>(status));
        throw queryFailed(std::string("NTSTATUS 0x") + code);
    }
    return information.HandleCount;
}

} // namespace socklens::platform
