#include "model/text_file.h"

#include <cerrno>
#include <cstring>
#include <sys/stat.h>

namespace socklens {

std::optional<std::string> refuseAsTextFile(const std::string& path, std::string_view kind,
                                            std::uint64_t maxBytes) {
    struct stat status {};
    if (::stat(path.c_str(), &status) != 0)
        return "cannot open the " + std::string(kind) + " " + path + ": " + std::strerror(errno);
    const char* what = nullptr;
    if (S_ISDIR(status.st_mode))
        what = "is a directory";
    else if (S_ISCHR(status.st_mode) || S_ISBLK(status.st_mode))
        what = "is a device";
    else if (S_ISFIFO(status.st_mode))
        what = "is a FIFO (named pipe)";
    else if (S_ISSOCK(status.st_mode))
        what = "is a socket";
    else if (!S_ISREG(status.st_mode))
        what = "is not a regular file";
    if (what)
        return path + " " + what + ", not a " + std::string(kind) + " (a regular file of at most " +
               bytesText(maxBytes) + ")";
    if (static_cast<std::uint64_t>(status.st_size) > maxBytes)
        return path + " is " + bytesText(static_cast<std::uint64_t>(status.st_size)) +
               ", larger than a " + std::string(kind) + " may be (" + bytesText(maxBytes) + ")";
    return std::nullopt;
}

LineRead readBoundedLine(std::istream& in, std::string& line, std::size_t maxBytes) {
    line.clear();
    std::streambuf* buffer = in.rdbuf();
    LineRead read;
    auto finish = [&](LineRead::Status status) {
        if (!line.empty() && line.back() == '\r') // a file saved with CRLF line ends
            line.pop_back();
        read.status = status;
        return read;
    };
    for (;;) {
        const int c = buffer->sbumpc();
        if (c == std::char_traits<char>::eof()) {
            in.setstate(std::ios::eofbit);
            return finish(read.bytes > 0 ? LineRead::Last : LineRead::End);
        }
        ++read.bytes;
        if (c == '\n')
            return finish(LineRead::Line);
        if (line.size() >= maxBytes) {
            read.status = LineRead::TooLong;
            return read;
        }
        line.push_back(static_cast<char>(c));
    }
}

bool dropByteOrderMark(std::string& text) {
    constexpr std::string_view kBom = "\xEF\xBB\xBF";
    if (!text.starts_with(kBom))
        return false;
    text.erase(0, kBom.size());
    return true;
}

std::string excerpt(std::string_view text, std::size_t maxBytes) {
    std::size_t end = text.size();
    if (end > maxBytes) {
        end = maxBytes;
        // Back off over UTF-8 continuation bytes so a character is not cut in half.
        while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
            --end;
    }
    std::string shown(text.substr(0, end));
    for (char& c : shown) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
            c = '?';
    }
    return end < text.size() ? shown + "..." : shown;
}

std::string bytesText(std::uint64_t bytes) {
    constexpr std::uint64_t kKiB = 1024;
    for (const auto& [unit, name] : {std::pair{kKiB * kKiB * kKiB, "GiB"},
                                     std::pair{kKiB * kKiB, "MiB"}, std::pair{kKiB, "KiB"}}) {
        if (bytes >= unit && bytes % unit == 0)
            return std::to_string(bytes / unit) + " " + name;
    }
    return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

} // namespace socklens
