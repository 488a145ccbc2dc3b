// A Windows program that is not a helper and takes a copy of another process's handle, as any
// program may: DuplicateHandle from that process into itself. Prints the copy's value, holds it
// until its standard input ends, then exits. Built with mingw-w64 by the tests.
#include <cstdio>
#include <cstdlib>
#include <windows.h>

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: handle-taker.exe PID HANDLE inherit|no-inherit\n");
        return 2;
    }
    const DWORD pid = DWORD(std::strtoul(argv[1], nullptr, 10));
    const HANDLE handle = reinterpret_cast<HANDLE>(std::strtoull(argv[2], nullptr, 10));
    const BOOL inherit = argv[3][0] == 'i';
    const HANDLE owner = ::OpenProcess(PROCESS_DUP_HANDLE, FALSE, pid);
    HANDLE copy = nullptr;
    if (!owner || !::DuplicateHandle(owner, handle, ::GetCurrentProcess(), &copy, 0, inherit,
                                     DUPLICATE_SAME_ACCESS)) {
        std::fprintf(stderr, "handle-taker.exe: DuplicateHandle failed: error %lu\n",
                     ::GetLastError());
        return 1;
    }
    std::printf("%llu\n", static_cast<unsigned long long>(reinterpret_cast<ULONG_PTR>(copy)));
    std::fflush(stdout);
    while (std::getchar() != EOF) {
    }
    return 0;
}
