#include "sysmap/fd_info.h"

#include "platform/posix/unique_fd.h"

#include <charconv>
#include <fcntl.h>
#include <string>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace socklens::sysmap {

namespace {

std::string_view trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    return first == std::string_view::npos ? std::string_view() : text.substr(first);
}

template <class Int> bool parse(std::string_view text, Int& value, int base) {
    text = trimmed(text);
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    return error == std::errc() && end != text.data();
}

/// The value after "key:" in `line` (up to the next blank), or empty when absent.
std::string_view field(std::string_view line, std::string_view key) {
    const auto at = line.find(key);
    if (at == std::string_view::npos)
        return {};
    std::string_view rest = trimmed(line.substr(at + key.size()));
    return rest.substr(0, rest.find_first_of(" \t"));
}

/// "tfd:        5 events:       19 data: 5  pos:0 ino:61af sdev:8" (numbers after events and
/// ino are hexadecimal).
std::optional<EpollInterest> parseInterest(std::string_view line) {
    EpollInterest interest;
    if (!parse(field(line, "tfd:"), interest.targetFd, 10) ||
        !parse(field(line, "events:"), interest.events, 16))
        return std::nullopt;
    if (const std::string_view inode = field(line, "ino:"); !inode.empty())
        parse(inode, interest.inode, 16);
    return interest;
}

} // namespace

bool EpollInterest::read() const {
    return (events & (EPOLLIN | EPOLLRDNORM)) != 0;
}

bool EpollInterest::write() const {
    return (events & (EPOLLOUT | EPOLLWRNORM)) != 0;
}

std::optional<FdInfo> parseFdInfo(std::string_view text) {
    FdInfo info;
    bool sawFlags = false;
    while (!text.empty()) {
        const auto end = text.find('\n');
        const std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        if (line.starts_with("flags:")) {
            unsigned flags = 0;
            if (!parse(line.substr(6), flags, 8)) // printed in octal
                return std::nullopt;
            info.flags.closeOnExec = (flags & O_CLOEXEC) != 0;
            info.flags.nonBlocking = (flags & O_NONBLOCK) != 0;
            info.flags.async = (flags & O_ASYNC) != 0;
            sawFlags = true;
        } else if (line.starts_with("mnt_id:")) {
            if (int id = 0; parse(line.substr(7), id, 10))
                info.mountId = id;
        } else if (line.starts_with("ino:")) {
            if (std::uint64_t inode = 0; parse(line.substr(4), inode, 10))
                info.inode = inode;
        } else if (line.starts_with("tfd:")) {
            if (const auto interest = parseInterest(line))
                info.epoll.push_back(*interest);
        }
    }
    if (!sawFlags)
        return std::nullopt;
    return info;
}

std::optional<int> socketMountId() {
    static const std::optional<int> id = []() -> std::optional<int> {
        const platform::UniqueFd socket(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        if (!socket.valid())
            return std::nullopt;
        const std::string path = "/proc/self/fdinfo/" + std::to_string(socket.get());
        const platform::UniqueFd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
        char text[512];
        const ssize_t got = file.valid() ? ::read(file.get(), text, sizeof text) : -1;
        const auto info =
            got > 0 ? parseFdInfo(std::string_view(text, std::size_t(got))) : std::nullopt;
        if (!info || !info->inode)
            return std::nullopt;
        return info->mountId;
    }();
    return id;
}

} // namespace socklens::sysmap
