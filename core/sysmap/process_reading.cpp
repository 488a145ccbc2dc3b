#include "sysmap/process_reading.h"

#include "platform/posix/unique_fd.h"
#include "sysmap/proc_scan.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <memory>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

namespace socklens::sysmap {

namespace {

using platform::UniqueFd;

struct DirCloser {
    void operator()(DIR* dir) const { ::closedir(dir); }
};

/// The whole of a small /proc file, read at `name` under `directory`; nullopt when it cannot
/// be opened, with errno telling why.
std::optional<std::string_view> readSmallFile(int directory, const char* name, char* buffer,
                                              std::size_t size) {
    UniqueFd file(::openat(directory, name, O_RDONLY | O_CLOEXEC));
    if (!file.valid())
        return std::nullopt;
    // These files are made whole at their first read (seq_file), so a read that leaves room
    // in the buffer read everything: no second read to see the end of the file.
    std::size_t used = 0;
    while (used < size) {
        const ssize_t got = ::read(file.get(), buffer + used, size - used);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        used += std::size_t(got);
        if (used < size)
            break;
    }
    return std::string_view(buffer, used);
}

/// The whole of a /proc file of any size (an epoll instance's interest list: a line of about
/// 70 bytes per entry).
std::optional<std::string> readWholeFile(int directory, const char* name) {
    UniqueFd file(::openat(directory, name, O_RDONLY | O_CLOEXEC));
    if (!file.valid())
        return std::nullopt;
    std::string text;
    char chunk[16384];
    for (;;) {
        const ssize_t got = ::read(file.get(), chunk, sizeof chunk);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return text;
        text.append(chunk, std::size_t(got));
    }
}

std::string procPath(std::int64_t pid, const char* leaf) {
    return "/proc/" + std::to_string(pid) + "/" + leaf;
}

std::string unreadableWhy(std::int64_t pid, int code) {
    if (code == ENOENT || code == ESRCH)
        return "exited while being read";
    if (code == EACCES || code == EPERM) {
        struct stat status {};
        if (::stat(procPath(pid, "").c_str(), &status) != 0)
            return "exited while being read";
        if (status.st_uid != ::geteuid() && ::geteuid() != 0)
            return "another user's process (uid " + std::to_string(status.st_uid) +
                   "): run as root, or as its user, to read its descriptors";
        return "its descriptors may not be read although its owner may (uid " +
               std::to_string(status.st_uid) +
               "): the process is not dumpable, or a security policy denies ptrace access";
    }
    return std::string("its descriptors could not be read: ") + std::strerror(code);
}

/// How many of a process's descriptors read so far are sockets: while nearly all are (at
/// most one other descriptor per four sockets), reading each by its fdinfo alone is cheaper;
/// as soon as that stops holding, links are read again. The standard streams (0-2) are read
/// by their links and say nothing of the rest: a server holding thousands of sockets has a
/// terminal or /dev/null there. So the first descriptor after them is tried by its fdinfo:
/// two calls more where it is no socket, a readlink saved for every socket where it is.
struct DescriptorMix {
    std::size_t sockets = 0;
    std::size_t others = 0;
    void note(std::int64_t fd, bool socket) {
        if (fd > 2)
            ++(socket ? sockets : others);
    }
    bool mostlySockets(std::int64_t fd) const { return fd > 2 && others * 4 <= sockets; }
};

template <class Int> bool parseDecimal(std::string_view text, Int& value) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

} // namespace

std::string readCommandLine(std::int64_t pid) {
    char buffer[4096];
    const auto text =
        readSmallFile(AT_FDCWD, procPath(pid, "cmdline").c_str(), buffer, sizeof buffer);
    if (!text)
        return "";
    std::string line(*text);
    while (!line.empty() && line.back() == '\0')
        line.pop_back();
    std::replace(line.begin(), line.end(), '\0', ' ');
    return line;
}

std::optional<ProcessIdentity> readProcessIdentity(std::int64_t pid) {
    char buffer[1024];
    const auto text = readSmallFile(AT_FDCWD, procPath(pid, "stat").c_str(), buffer, sizeof buffer);
    if (!text)
        return std::nullopt;
    // "PID (comm) S PPID ..." — comm may hold spaces and parentheses: it ends at the last ')'.
    const auto open = text->find('(');
    const auto close = text->rfind(')');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open)
        return std::nullopt;
    ProcessIdentity identity;
    identity.pid = pid;
    identity.command = std::string(text->substr(open + 1, close - open - 1));
    // Fields after comm: state(3) ppid(4) ... starttime(22).
    std::string_view rest = text->substr(close + 1);
    for (int field = 3; field <= 22 && !rest.empty(); ++field) {
        rest.remove_prefix(std::min(rest.find_first_not_of(' '), rest.size()));
        const std::string_view value = rest.substr(0, rest.find(' '));
        if (field == 3)
            identity.zombie = value == "Z";
        else if (field == 4)
            parseDecimal(value, identity.parentPid);
        else if (field == 22)
            parseDecimal(value, identity.startTime);
        rest.remove_prefix(value.size());
    }
    return identity;
}

ProcessReadResult readProcess(const ProcessIdentity& identity, FlagReading flagReading) {
    const std::int64_t pid = identity.pid;
    ProcessReadResult result;
    // Descriptors are listed from fdinfo/, whose entries the reads below open: listing fd/
    // made the kernel look up a second entry per descriptor.
    std::unique_ptr<DIR, DirCloser> listing(::opendir(procPath(pid, "fdinfo").c_str()));
    if (!listing) {
        result.unreadable = UnreadableProcess{identity, unreadableWhy(pid, errno)};
        return result;
    }
    UniqueFd links(::open(procPath(pid, "fd").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!links.valid()) {
        result.unreadable = UnreadableProcess{identity, unreadableWhy(pid, errno)};
        return result;
    }

    ProcessReading reading;
    reading.identity = identity;
    std::vector<std::int64_t> epollFds;
    const int fdinfo = ::dirfd(listing.get());
    const std::optional<int> socketMount =
        flagReading == FlagReading::WhereCheap ? socketMountId() : std::nullopt;
    DescriptorMix mix;
    char link[64];
    char info[512]; // a socket's fdinfo: pos, flags, mnt_id, ino
    while (const dirent* entry = ::readdir(listing.get())) {
        std::int64_t fd;
        if (!parseDecimal(std::string_view(entry->d_name), fd))
            continue;
        if (socketMount && mix.mostlySockets(fd)) {
            const auto text = readSmallFile(fdinfo, entry->d_name, info, sizeof info);
            const auto parsed = text ? parseFdInfo(*text) : std::nullopt;
            if (!parsed)
                continue; // closed while we read
            if (parsed->inode && parsed->mountId) {
                const bool socket = *parsed->mountId == *socketMount;
                mix.note(fd, socket);
                if (socket)
                    reading.sockets.push_back(
                        SocketDescriptor{fd, *parsed->inode, parsed->flags, true});
                else if (!parsed->epoll.empty()) // an epoll instance with registrations
                    epollFds.push_back(fd);
                continue;
            } // else: read its link below
        }
        const ssize_t length = ::readlinkat(links.get(), entry->d_name, link, sizeof link);
        if (length <= 0)
            continue; // closed while we read
        const std::string_view target(link, std::size_t(length));
        const auto inode = socketInodeOfLink(target);
        mix.note(fd, inode.has_value());
        if (inode) {
            SocketDescriptor socket{fd, *inode, {}, false};
            if (flagReading == FlagReading::Every) {
                const auto text = readSmallFile(fdinfo, entry->d_name, info, sizeof info);
                const auto parsed = text ? parseFdInfo(*text) : std::nullopt;
                if (!parsed)
                    continue; // closed between the link and its fdinfo
                socket.flags = parsed->flags;
                socket.flagsRead = true;
            }
            reading.sockets.push_back(socket);
        } else if (target == "anon_inode:[eventpoll]") {
            epollFds.push_back(fd);
        }
    }
    std::sort(reading.sockets.begin(), reading.sockets.end(),
              [](const SocketDescriptor& a, const SocketDescriptor& b) { return a.fd < b.fd; });

    for (const std::int64_t epollFd : epollFds) {
        const std::string name = std::to_string(epollFd);
        const auto text = readWholeFile(fdinfo, name.c_str());
        const auto parsed = text ? parseFdInfo(*text) : std::nullopt;
        if (!parsed)
            continue;
        for (EpollInterest interest : parsed->epoll) {
            if (interest.inode == 0) { // older kernels: resolve the fd in this process's table
                const auto found = std::find_if(
                    reading.sockets.begin(), reading.sockets.end(),
                    [&](const SocketDescriptor& socket) { return socket.fd == interest.targetFd; });
                if (found == reading.sockets.end())
                    continue;
                interest.inode = found->inode;
            }
            reading.registrations.push_back(EpollRegistration{epollFd, interest});
        }
    }
    if (!reading.sockets.empty() || !reading.registrations.empty())
        reading.commandLine = readCommandLine(pid);
    result.reading = std::move(reading);
    return result;
}

std::vector<std::optional<DescriptorFlags>> readDescriptorFlags(std::int64_t pid,
                                                                std::span<const std::int64_t> fds) {
    std::vector<std::optional<DescriptorFlags>> flags(fds.size());
    if (fds.empty()) // a table re-read with no new descriptor asks for none: no open at all
        return flags;
    UniqueFd fdinfo(::open(procPath(pid, "fdinfo").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fdinfo.valid())
        return flags;
    char info[512]; // a socket's fdinfo: pos, flags, mnt_id, ino
    for (std::size_t i = 0; i < fds.size(); ++i) {
        char name[24];
        const auto end = std::to_chars(name, name + sizeof name - 1, fds[i]).ptr;
        *end = '\0';
        const auto text = readSmallFile(fdinfo.get(), name, info, sizeof info);
        if (const auto parsed = text ? parseFdInfo(*text) : std::nullopt)
            flags[i] = parsed->flags;
    }
    return flags;
}

} // namespace socklens::sysmap
