// Winsock: the holders of a socket from the system handle table, the sockets of a process that
// is not a helper (attach), and a child that inherits.
// Wine lists every handle of every process of the prefix, with its attributes, but gives no
// object addresses; two handles name the same object when NtCompareObjects says so, which
// needs both in one process: each candidate is copied in and closed again at once.
#include "platform/os_error.h"
#include "platform/process_handles.h"
#include "platform/socket_api.h"
#include "platform/win32/ntdll.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <cwchar>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tlhelp32.h>
#include <vector>
#include <windows.h>
#include <winsock2.h>
#include <winternl.h>

namespace socklens::platform {

namespace {

// SystemExtendedHandleInformation's layout (not in mingw-w64's winternl.h).
constexpr ULONG kSystemExtendedHandleInformation = 64;
constexpr NTSTATUS kInfoLengthMismatch = NTSTATUS(0xC0000004L);
constexpr ULONG kObjInherit = 0x2;

struct HandleEntry {
    PVOID object;
    ULONG_PTR pid;
    ULONG_PTR handle;
    ULONG grantedAccess;
    USHORT creatorBackTraceIndex;
    USHORT typeIndex;
    ULONG attributes;
    ULONG reserved;
};
struct HandleTable {
    ULONG_PTR count;
    ULONG_PTR reserved;
    HandleEntry entries[1];
};

using QuerySystemInformation = NTSTATUS(NTAPI*)(ULONG, PVOID, ULONG, PULONG);
using CompareObjects = NTSTATUS(NTAPI*)(HANDLE, HANDLE);

OsError unsupported(const std::string& call, const std::string& why) {
    return OsError(call, WSAEOPNOTSUPP, "WSAEOPNOTSUPP",
                   call + " failed: " + why + " (WSAEOPNOTSUPP)");
}

std::string statusText(NTSTATUS status) {
    char code[16];
    std::snprintf(code, sizeof code, "%08lx", static_cast<unsigned long>(status));
    return std::string("NTSTATUS 0x") + code;
}

/// The whole table; it grows between the two calls, so the size asked for gets room to spare.
std::vector<std::uint8_t> readHandleTable() {
    static const auto query = ntdllFunction<QuerySystemInformation>("NtQuerySystemInformation");
    const std::string call = "NtQuerySystemInformation(SystemExtendedHandleInformation)";
    if (!query)
        throw unsupported(call, "ntdll.dll has no NtQuerySystemInformation");
    std::vector<std::uint8_t> buffer(64 * 1024);
    for (int attempt = 0; attempt < 8; ++attempt) {
        ULONG needed = 0;
        const NTSTATUS status =
            query(kSystemExtendedHandleInformation, buffer.data(), ULONG(buffer.size()), &needed);
        if (status == 0)
            return buffer;
        if (status != kInfoLengthMismatch)
            throw unsupported(call, statusText(status));
        buffer.resize(std::max<std::size_t>(needed, buffer.size()) * 2);
    }
    throw unsupported(call, "the handle table kept growing faster than it could be read");
}

std::string narrow(const wchar_t* text) {
    std::string out;
    for (; *text; ++text)
        out.push_back(*text < 0x80 ? char(*text) : '?');
    return out;
}

std::vector<protocol::ListedProcess> runningProcesses() {
    std::vector<protocol::ListedProcess> processes;
    const HANDLE snapshot = ::CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
    if (snapshot == INVALID_HANDLE_VALUE)
        throw OsError::fromLastError("CreateToolhelp32Snapshot");
    PROCESSENTRY32W entry{};
    entry.dwSize = sizeof entry;
    for (BOOL more = ::Process32FirstW(snapshot, &entry); more;
         more = ::Process32NextW(snapshot, &entry))
        processes.push_back({std::int64_t(entry.th32ProcessID), narrow(entry.szExeFile)});
    ::CloseHandle(snapshot);
    return processes;
}

/// Handles of other processes copied into this one, each closed when it goes.
class CopiedHandle {
public:
    CopiedHandle(HANDLE process, HANDLE handle) {
        if (!process || !::DuplicateHandle(process, handle, ::GetCurrentProcess(), &copy_, 0, FALSE,
                                           DUPLICATE_SAME_ACCESS))
            copy_ = nullptr;
    }
    ~CopiedHandle() {
        if (copy_)
            ::CloseHandle(copy_);
    }
    CopiedHandle(const CopiedHandle&) = delete;
    CopiedHandle& operator=(const CopiedHandle&) = delete;
    HANDLE get() const { return copy_; }

private:
    HANDLE copy_ = nullptr;
};

/// Process handles opened for copying, one per process, closed at the end.
class OpenProcesses {
public:
    ~OpenProcesses() {
        for (const auto& [pid, handle] : handles_)
            if (handle)
                ::CloseHandle(handle);
    }
    /// nullptr when the process cannot be opened (it ended, or it is not ours to read).
    HANDLE of(std::int64_t pid) {
        if (pid == std::int64_t(::GetCurrentProcessId()))
            return ::GetCurrentProcess();
        const auto found = handles_.find(pid);
        if (found != handles_.end())
            return found->second;
        const HANDLE opened = ::OpenProcess(PROCESS_DUP_HANDLE, FALSE, DWORD(pid));
        if (!opened)
            unopened_.insert(pid);
        return handles_[pid] = opened;
    }
    const std::set<std::int64_t>& unopened() const { return unopened_; }

private:
    std::map<std::int64_t, HANDLE> handles_;
    std::set<std::int64_t> unopened_;
};

/// Another process's handle copied into this one as a SOCKET, closed (closesocket) when it goes.
/// Wine's ws2_32 answers only for SOCKETs it made or imported, so the copy is imported the way
/// Wine's own WSADuplicateSocket hands one over: protocol info whose dwServiceFlags3 carries the
/// handle (dwServiceFlags4 0xff00ff00). Nothing else of the socket changes.
class CopiedSocket {
public:
    CopiedSocket(HANDLE process, HANDLE handle) {
        HANDLE copy = nullptr;
        if (!::DuplicateHandle(process, handle, ::GetCurrentProcess(), &copy, 0, FALSE,
                               DUPLICATE_SAME_ACCESS))
            return;
        WSAPROTOCOL_INFOW info{};
        info.dwServiceFlags3 = DWORD(reinterpret_cast<ULONG_PTR>(copy));
        info.dwServiceFlags4 = kWineDuplicateMagic;
        socket_ =
            ::WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0);
        if (socket_ == INVALID_SOCKET)
            ::CloseHandle(copy);
    }
    ~CopiedSocket() {
        if (socket_ != INVALID_SOCKET)
            ::closesocket(socket_);
    }
    CopiedSocket(const CopiedSocket&) = delete;
    CopiedSocket& operator=(const CopiedSocket&) = delete;

    /// Whether it names a socket: Winsock answers SO_TYPE for nothing else.
    bool isSocket() const {
        int type = 0;
        int length = sizeof type;
        return socket_ != INVALID_SOCKET &&
               ::getsockopt(socket_, SOL_SOCKET, SO_TYPE, reinterpret_cast<char*>(&type),
                            &length) == 0;
    }
    Handle handle() const { return Handle(std::intptr_t(socket_)); }

private:
    static constexpr DWORD kWineDuplicateMagic = 0xff00ff00;
    SOCKET socket_ = INVALID_SOCKET;
};

} // namespace

protocol::ProcessSocketsReply listProcessSockets(std::int64_t pid) {
    protocol::ProcessSocketsReply reply;
    reply.processes = runningProcesses();
    // A pid the prefix does not list is the broker's to refuse, in its own words.
    if (pid == 0 || std::none_of(reply.processes.begin(), reply.processes.end(),
                                 [&](const protocol::ListedProcess& p) { return p.pid == pid; }))
        return reply;
    OpenProcesses processes;
    const HANDLE owner = processes.of(pid);
    if (!owner)
        throw OsError::fromLastError("OpenProcess(PROCESS_DUP_HANDLE, " + std::to_string(pid) +
                                     ")");
    const std::vector<std::uint8_t> buffer = readHandleTable();
    const auto* table = reinterpret_cast<const HandleTable*>(buffer.data());
    for (ULONG_PTR i = 0; i < table->count; ++i) {
        const HandleEntry& entry = table->entries[i];
        if (std::int64_t(entry.pid) != pid)
            continue;
        // The copy is this helper's for the length of the reading: closed before the next one.
        const CopiedSocket copy(owner, reinterpret_cast<HANDLE>(entry.handle));
        if (!copy.isSocket())
            continue;
        protocol::ForeignSocket socket;
        socket.handle = std::int64_t(entry.handle);
        socket.inheritable = std::uint8_t((entry.attributes & kObjInherit) ? 1 : 0);
        try {
            socket.socket = describeSocket(copy.handle());
        } catch (const OsError& error) {
            reply.notes.push_back("socket handle " + std::to_string(entry.handle) + " of process " +
                                  std::to_string(pid) + " could not be read: " + error.sentence());
            continue;
        }
        reply.sockets.push_back(std::move(socket));
    }
    return reply;
}

protocol::HoldersReply listHolders(std::span<const protocol::HandleReference> references) {
    static const auto compare = ntdllFunction<CompareObjects>("NtCompareObjects");
    protocol::HoldersReply reply;
    OpenProcesses processes;
    const std::int64_t self = std::int64_t(::GetCurrentProcessId());

    // Each reference searched for, as a handle of this process.
    std::vector<std::unique_ptr<CopiedHandle>> copies;
    std::vector<HANDLE> objects;
    for (const protocol::HandleReference& reference : references) {
        if (!reference.search) {
            copies.push_back(std::make_unique<CopiedHandle>(nullptr, nullptr));
            objects.push_back(nullptr);
            continue;
        }
        const HANDLE owner = processes.of(reference.pid);
        copies.push_back(std::make_unique<CopiedHandle>(
            owner ? owner : ::GetCurrentProcess(), reinterpret_cast<HANDLE>(reference.handle)));
        objects.push_back(owner ? copies.back()->get() : nullptr);
        if (!objects.back())
            reply.notes.push_back("handle " + std::to_string(reference.handle) + " of process " +
                                  std::to_string(reference.pid) +
                                  " could not be copied in, so its holders are not listed");
    }
    std::set<std::uint64_t> ours; // copies made here, which the table lists too
    for (const auto& copy : copies) {
        if (copy->get())
            ours.insert(reinterpret_cast<std::uintptr_t>(copy->get()));
        // Read before any candidate is copied in: only this copy is to be taken off.
        const std::uint32_t count =
            copy->get()
                ? handleCount(Handle(reinterpret_cast<std::intptr_t>(copy->get()))).value_or(1)
                : 1;
        reply.handleCounts.push_back(count - 1);
    }
    const bool searching = !ours.empty();

    const std::vector<std::uint8_t> buffer = readHandleTable();
    const auto* table = reinterpret_cast<const HandleTable*>(buffer.data());
    // Only handles of the references' object type (Wine: "File") can name them.
    std::set<USHORT> types;
    bool addresses = true;
    for (ULONG_PTR i = 0; i < table->count; ++i) {
        const HandleEntry& entry = table->entries[i];
        if (std::int64_t(entry.pid) == self && ours.contains(entry.handle)) {
            types.insert(entry.typeIndex);
            addresses = addresses && entry.object != nullptr;
        }
    }
    // A reference not searched for is only looked up: its own entry, copied nowhere.
    for (std::size_t r = 0; r < references.size(); ++r) {
        if (references[r].search)
            continue;
        for (ULONG_PTR i = 0; i < table->count; ++i) {
            const HandleEntry& entry = table->entries[i];
            if (std::int64_t(entry.pid) == references[r].pid &&
                std::int64_t(entry.handle) == references[r].handle)
                reply.holders.push_back({std::uint32_t(r), std::int64_t(entry.pid),
                                         std::int64_t(entry.handle),
                                         std::uint8_t((entry.attributes & kObjInherit) ? 1 : 0)});
        }
    }
    if (searching && !addresses) {
        if (!compare)
            throw unsupported("NtCompareObjects", "the handle table gives no object addresses "
                                                  "and ntdll.dll has no NtCompareObjects");
        reply.notes.push_back(
            "Wine's system handle table gives no object addresses: each handle of a socket's type "
            "is copied into the helper, compared with NtCompareObjects and closed at once");
    }
    for (ULONG_PTR i = 0; searching && i < table->count; ++i) {
        const HandleEntry& entry = table->entries[i];
        if (!types.contains(entry.typeIndex) ||
            (std::int64_t(entry.pid) == self && ours.contains(entry.handle)))
            continue;
        const HANDLE owner = processes.of(std::int64_t(entry.pid));
        if (!owner)
            continue;
        const CopiedHandle candidate(owner, reinterpret_cast<HANDLE>(entry.handle));
        if (!candidate.get())
            continue;
        for (std::size_t r = 0; r < objects.size(); ++r) {
            if (objects[r] && compare(candidate.get(), objects[r]) == 0)
                reply.holders.push_back({std::uint32_t(r), std::int64_t(entry.pid),
                                         std::int64_t(entry.handle),
                                         std::uint8_t((entry.attributes & kObjInherit) ? 1 : 0)});
        }
    }
    reply.processes = runningProcesses();
    for (const std::int64_t pid : processes.unopened())
        reply.notes.push_back("process " + std::to_string(pid) +
                              " could not be opened to compare its handles; those it holds are "
                              "not listed");
    return reply;
}

void setInheritable(Handle handle, bool inheritable) {
    if (!::SetHandleInformation(reinterpret_cast<HANDLE>(handle.value()), HANDLE_FLAG_INHERIT,
                                inheritable ? HANDLE_FLAG_INHERIT : 0))
        throw OsError::fromLastError(std::string("SetHandleInformation(HANDLE_FLAG_INHERIT, ") +
                                     (inheritable ? "HANDLE_FLAG_INHERIT" : "0") + ")");
}

Inheritance inheritanceOf(Handle handle) {
    DWORD flags = 0;
    if (!::GetHandleInformation(reinterpret_cast<HANDLE>(handle.value()), &flags))
        return Inheritance::Unknown;
    return (flags & HANDLE_FLAG_INHERIT) ? Inheritance::Inheritable : Inheritance::NotInheritable;
}

protocol::ListedProcess startChild(bool inherit, std::chrono::milliseconds lifetime) {
    wchar_t self[MAX_PATH] = {};
    if (::GetModuleFileNameW(nullptr, self, MAX_PATH) == 0)
        throw OsError::fromLastError("GetModuleFileNameW");
    // The helper's standard handles are its channel to the broker: never inherited, or the
    // child would keep the channel open after the helper ended.
    for (const DWORD which : {STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE})
        if (const HANDLE standard = ::GetStdHandle(which);
            standard && standard != INVALID_HANDLE_VALUE)
            ::SetHandleInformation(standard, HANDLE_FLAG_INHERIT, 0);
    std::wstring command =
        L"\"" + std::wstring(self) + L"\" " +
        std::wstring(kInheritingChildSwitch,
                     kInheritingChildSwitch + std::strlen(kInheritingChildSwitch)) +
        L" " + std::to_wstring(lifetime.count());
    STARTUPINFOW startup{};
    startup.cb = sizeof startup;
    startup.dwFlags = STARTF_USESTDHANDLES; // none: the child reads and writes nothing
    PROCESS_INFORMATION child{};
    if (!::CreateProcessW(self, command.data(), nullptr, nullptr, inherit ? TRUE : FALSE,
                          DETACHED_PROCESS, nullptr, nullptr, &startup, &child))
        throw OsError::fromLastError(std::string("CreateProcess(bInheritHandles = ") +
                                     (inherit ? "TRUE" : "FALSE") + ")");
    ::CloseHandle(child.hThread);
    ::CloseHandle(child.hProcess);
    const wchar_t* name = std::wcsrchr(self, L'\\');
    return {std::int64_t(child.dwProcessId), narrow(name ? name + 1 : self)};
}

int runInheritingChild(std::chrono::milliseconds lifetime) {
    ::Sleep(DWORD(lifetime.count()));
    return 0;
}

} // namespace socklens::platform
