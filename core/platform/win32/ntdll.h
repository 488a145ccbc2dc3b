// Functions of ntdll.dll resolved at run time: NtQueryObject is not in the import libraries
// mingw-w64 links against, and wine_get_version exists only under Wine.
#pragma once

#include <windows.h>

namespace socklens::platform {

/// The function `name` of ntdll.dll, or nullptr when this system has none.
template <class Function> Function ntdllFunction(const char* name) {
    const HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll");
    const FARPROC address = ntdll ? ::GetProcAddress(ntdll, name) : nullptr;
    // Through void*: a FARPROC is a placeholder type, not the function's own.
    return reinterpret_cast<Function>(reinterpret_cast<void*>(address));
}

} // namespace socklens::platform
