#include "os_probe.h"

#include <algorithm>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string_view>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <utility>

namespace socklens::testing {

namespace {

template <class Visit> void forEachFd(std::int64_t pid, Visit visit) {
    const std::string path = "/proc/" + std::to_string(pid) + "/fd";
    DIR* dir = ::opendir(path.c_str());
    if (!dir)
        return;
    while (dirent* entry = ::readdir(dir)) {
        if (entry->d_name[0] == '.')
            continue;
        char link[64] = {};
        const ssize_t length = ::readlinkat(::dirfd(dir), entry->d_name, link, sizeof link - 1);
        visit(std::string_view(link, length > 0 ? std::size_t(length) : 0));
    }
    ::closedir(dir);
}

} // namespace

int fdsNaming(std::int64_t pid, std::uint64_t inode) {
    const std::string wanted = "socket:[" + std::to_string(inode) + "]";
    int count = 0;
    forEachFd(pid, [&](std::string_view link) { count += link == wanted; });
    return count;
}

int openFdCount(std::int64_t pid) {
    int count = 0;
    forEachFd(pid, [&](std::string_view) { ++count; });
    return count;
}

std::vector<std::uint64_t> socketInodesHeldBy(std::int64_t pid) {
    std::vector<std::uint64_t> inodes;
    constexpr std::string_view prefix = "socket:[";
    forEachFd(pid, [&](std::string_view link) {
        if (link.starts_with(prefix) && link.ends_with("]"))
            inodes.push_back(std::stoull(std::string(link.substr(prefix.size()))));
    });
    std::sort(inodes.begin(), inodes.end());
    return inodes;
}

bool closeOnExecInFdinfo(std::int64_t pid, std::int64_t fd) {
    std::ifstream info("/proc/" + std::to_string(pid) + "/fdinfo/" + std::to_string(fd));
    for (std::string line; std::getline(info, line);)
        if (line.rfind("flags:", 0) == 0)
            return std::stoul(line.substr(6), nullptr, 8) & O_CLOEXEC;
    ADD_FAILURE() << "no flags line for fd " << fd << " of pid " << pid;
    return false;
}

platform::UniqueFd copyFdOf(std::int64_t pid, std::int64_t fd) {
    const platform::UniqueFd pidFd(int(::syscall(SYS_pidfd_open, pid_t(pid), 0)));
    if (!pidFd.valid())
        return platform::UniqueFd();
    return platform::UniqueFd(int(::syscall(SYS_pidfd_getfd, pidFd.get(), int(fd), 0)));
}

std::int64_t ownerThrough(int fd) {
    f_owner_ex owner{};
    if (::fcntl(fd, F_GETOWN_EX, &owner) != 0)
        return -1;
    return owner.pid;
}

bool kernelListsSocket(std::uint64_t inode) {
    // The inode is the 10th column of the inet tables and the 7th of the Unix one.
    const std::pair<const char*, int> tables[] = {{"/proc/net/tcp", 9},
                                                  {"/proc/net/tcp6", 9},
                                                  {"/proc/net/udp", 9},
                                                  {"/proc/net/udp6", 9},
                                                  {"/proc/net/unix", 6}};
    for (const auto& [path, column] : tables) {
        std::ifstream table(path);
        std::string line;
        std::getline(table, line); // the header
        while (std::getline(table, line)) {
            std::istringstream fields(line);
            std::string field;
            for (int i = 0; i <= column && fields >> field; ++i) {
            }
            if (field == std::to_string(inode))
                return true;
        }
    }
    return false;
}

std::uint64_t inodeOf(int fd) {
    struct stat status {};
    ::fstat(fd, &status);
    return status.st_ino;
}

} // namespace socklens::testing
