#include "sysmap/proc_scan.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <memory>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

namespace socklens::sysmap {

namespace {

template <class Int> bool parseNumber(std::string_view text, Int& value) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

/// "socket:[12345]" -> 12345
bool socketInode(std::string_view link, std::uint64_t& inode) {
    constexpr std::string_view prefix = "socket:[";
    if (link.size() <= prefix.size() + 1 || link.substr(0, prefix.size()) != prefix ||
        link.back() != ']')
        return false;
    return parseNumber(link.substr(prefix.size(), link.size() - prefix.size() - 1), inode);
}

struct DirCloser {
    void operator()(DIR* dir) const { ::closedir(dir); }
};
using DirHandle = std::unique_ptr<DIR, DirCloser>;

} // namespace

std::optional<std::uint64_t> socketInodeOfLink(std::string_view link) {
    std::uint64_t inode;
    if (!socketInode(link, inode))
        return std::nullopt;
    return inode;
}

FdTableRead readSocketFds(std::int64_t pid, std::vector<SocketFd>& sockets, std::size_t& entries) {
    const std::string path = "/proc/" + std::to_string(pid) + "/fd";
    DirHandle dir(::opendir(path.c_str()));
    if (!dir)
        return errno == EACCES || errno == EPERM ? FdTableRead::Unreadable : FdTableRead::Gone;
    const int dirFd = ::dirfd(dir.get());
    char link[64];
    while (dirent* entry = ::readdir(dir.get())) {
        std::int64_t fd;
        if (!parseNumber(std::string_view(entry->d_name), fd))
            continue;
        ++entries;
        const ssize_t length = ::readlinkat(dirFd, entry->d_name, link, sizeof link);
        std::uint64_t inode;
        if (length > 0 && socketInode(std::string_view(link, std::size_t(length)), inode))
            sockets.push_back(SocketFd{fd, inode});
    }
    return FdTableRead::Read;
}

DescriptorLink readDescriptorLink(std::int64_t pid, std::int64_t fd) {
    const std::string path = "/proc/" + std::to_string(pid) + "/fd/" + std::to_string(fd);
    char link[64];
    const ssize_t length = ::readlink(path.c_str(), link, sizeof link);
    if (length < 0)
        return {errno == EACCES || errno == EPERM ? DescriptorLink::Kind::Unreadable
                                                  : DescriptorLink::Kind::Closed};
    std::uint64_t inode;
    if (socketInode(std::string_view(link, std::size_t(length)), inode))
        return {DescriptorLink::Kind::Socket, inode};
    return {DescriptorLink::Kind::Other};
}

std::vector<std::int64_t> listProcesses() {
    std::vector<std::int64_t> pids;
    DirHandle proc(::opendir("/proc"));
    if (!proc)
        return pids;
    while (dirent* entry = ::readdir(proc.get())) {
        std::int64_t pid;
        if (parseNumber(std::string_view(entry->d_name), pid))
            pids.push_back(pid);
    }
    return pids;
}

std::optional<std::int64_t> openDescriptorCount(std::int64_t pid) {
    struct stat status {};
    if (::stat(("/proc/" + std::to_string(pid) + "/fd").c_str(), &status) != 0)
        return errno == ENOENT || errno == ESRCH ? std::nullopt : std::optional<std::int64_t>(0);
    return std::int64_t(status.st_size);
}

ProcScan scanSocketHolders(const std::unordered_set<std::uint64_t>& inodes) {
    ProcScan scan;
    if (inodes.empty())
        return scan;
    std::vector<SocketFd> sockets;
    for (const std::int64_t pid : listProcesses()) {
        sockets.clear();
        std::size_t entries = 0;
        if (readSocketFds(pid, sockets, entries) == FdTableRead::Unreadable)
            ++scan.unreadableProcesses;
        for (const SocketFd& found : sockets) {
            if (inodes.contains(found.inode))
                scan.holders.push_back(SocketHolder{pid, found.fd, found.inode});
        }
    }
    return scan;
}

std::string processName(std::int64_t pid) {
    std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
    std::string name;
    std::getline(comm, name);
    return name;
}

} // namespace socklens::sysmap
