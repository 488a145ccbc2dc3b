#include "cli/map_output.h"

#include "model/session_format.h"
#include "report/csv_report.h"

#include <charconv>
#include <cstdio>
#include <map>
#include <unordered_map>

namespace socklens::cli {

namespace {

using sysmap::MapHolder;
using sysmap::MapRegistration;
using sysmap::MapSocket;

const char* boolText(bool value) {
    return value ? "true" : "false";
}

std::string hex(std::uint32_t value) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%x", value);
    return text;
}

std::string interestText(const sysmap::EpollInterest& interest) {
    if (interest.read() && interest.write())
        return "read and write";
    return interest.read() ? "read" : interest.write() ? "write" : "neither read nor write";
}

/// Appends `value` in decimal: JSON numbers without a temporary string each.
template <class Int> void appendNumber(std::string& out, Int value) {
    char digits[24];
    out.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
}

void appendBool(std::string& out, bool value) {
    out += value ? "true" : "false";
}

/// A holder's process fields, escaped once per process rather than once per descriptor (a
/// forking server's workers hold hundreds of sockets each).
class ProcessFields {
public:
    /// `,"command":"…"`
    const std::string& command(const MapHolder& holder) { return of(holder).command; }
    /// `,"ppid":N,"cmdline":"…"}`
    const std::string& tail(const MapHolder& holder) { return of(holder).tail; }

private:
    struct Fields {
        std::string command;
        std::string tail;
    };
    const Fields& of(const MapHolder& holder) {
        auto [it, added] = fields_.try_emplace(holder.process.get());
        if (added) {
            it->second.command = ",\"command\":";
            appendJsonString(it->second.command, holder.command());
            it->second.tail = ",\"ppid\":";
            appendNumber(it->second.tail, holder.parentPid());
            it->second.tail += ",\"cmdline\":";
            appendJsonString(it->second.tail, holder.commandLine());
            it->second.tail += '}';
        }
        return it->second;
    }
    std::unordered_map<const sysmap::HolderProcess*, Fields> fields_;
};

void writeHolderJson(const MapHolder& holder, ProcessFields& processes, std::string& out) {
    out += "{\"pid\":";
    appendNumber(out, holder.pid);
    out += processes.command(holder);
    out += ",\"fd\":";
    appendNumber(out, holder.fd);
    out += ",\"cloexec\":";
    appendBool(out, holder.flags.closeOnExec);
    out += ",\"nonblocking\":";
    appendBool(out, holder.flags.nonBlocking);
    out += ",\"async\":";
    appendBool(out, holder.flags.async);
    out += processes.tail(holder);
}

void writeRegistrationJson(const MapRegistration& registration, std::string& out) {
    out += "{\"pid\":" + std::to_string(registration.pid) +
           ",\"command\":" + jsonString(registration.command) +
           ",\"epoll_fd\":" + std::to_string(registration.epollFd) +
           ",\"fd\":" + std::to_string(registration.interest.targetFd) +
           ",\"read\":" + boolText(registration.interest.read()) +
           ",\"write\":" + boolText(registration.interest.write()) + ",\"events\":\"" +
           hex(registration.interest.events) + "\"}";
}

void writeSocketJson(const MapSocket& socket, ProcessFields& processes, std::string& out) {
    const sysmap::KernelSocket& k = socket.kernel;
    out += "{\"inode\":";
    appendNumber(out, k.inode);
    out += ",\"kind\":";
    appendJsonString(out, k.kind);
    out += ",\"local\":";
    appendJsonString(out, k.local);
    out += ",\"peer\":";
    appendJsonString(out, k.peer);
    out += ",\"state\":";
    appendJsonString(out, k.state);
    out += ",\"count\":";
    appendNumber(out, socket.holders.size());
    out += ",\"processes\":";
    appendNumber(out, socket.processCount());
    out += ",\"listed_by_kernel\":";
    appendBool(out, socket.listedByKernel);
    if (socket.listedByKernel) {
        out += ",\"receive_queue\":";
        appendNumber(out, k.receiveQueue);
        out += ",\"send_queue\":";
        appendNumber(out, k.sendQueue);
        if (k.receiveBuffer) {
            out += ",\"receive_buffer\":";
            appendNumber(out, *k.receiveBuffer);
        }
        if (k.sendBuffer) {
            out += ",\"send_buffer\":";
            appendNumber(out, *k.sendBuffer);
        }
        if (k.kind.starts_with("unix")) {
            out += ",\"peer_inode\":";
            appendNumber(out, k.peerInode);
        }
    }
    out += ",\"holders\":[";
    for (std::size_t i = 0; i < socket.holders.size(); ++i) {
        if (i)
            out += ',';
        writeHolderJson(socket.holders[i], processes, out);
    }
    out += "],\"epoll\":[";
    for (std::size_t i = 0; i < socket.epoll.size(); ++i) {
        if (i)
            out += ',';
        writeRegistrationJson(socket.epoll[i], out);
    }
    out += "]}";
}

using report::csvField;

std::string optionalNumber(const std::optional<std::uint32_t>& value) {
    return value ? std::to_string(*value) : std::string();
}

void writeUnreadableSummary(const sysmap::MachineMap& map, std::ostream& out) {
    if (map.unreadable.empty())
        return;
    // Grouped by why: without root most of a machine is "another user's process".
    std::map<std::string, std::vector<const sysmap::UnreadableProcess*>> byWhy;
    for (const sysmap::UnreadableProcess& process : map.unreadable) {
        std::string why = process.why;
        if (const auto uid = why.find(" (uid "); uid != std::string::npos)
            why.erase(uid, why.find(')', uid) + 1 - uid);
        byWhy[why].push_back(&process);
    }
    out << map.unreadable.size() << " process(es) could not be read:\n";
    for (const auto& [why, processes] : byWhy) {
        out << "  " << processes.size() << " " << why << ":";
        constexpr std::size_t kShown = 8;
        for (std::size_t i = 0; i < processes.size() && i < kShown; ++i)
            out << ' ' << processes[i]->identity.command << '[' << processes[i]->identity.pid
                << ']';
        if (processes.size() > kShown)
            out << " ... (--json lists them all)";
        out << '\n';
    }
}

} // namespace

void appendJsonString(std::string& out, std::string_view text) {
    out += '"';
    for (const char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char escaped[8];
                std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
                out += escaped;
            } else {
                out += c; // UTF-8 passes through; a command name is bytes, written as they are
            }
        }
    }
    out += '"';
}

std::string jsonString(std::string_view text) {
    std::string out;
    appendJsonString(out, text);
    return out;
}

void writeMapJson(const sysmap::MachineMap& map, std::ostream& out) {
    std::string text = "{\"format\":\"socklens-machine-map\",\"version\":1,\"kernel\":" +
                       jsonString(hostKernel()) + ",\"sockets\":[";
    // Handed on in chunks: the whole map as one string (6 MB at 20 000 descriptors) cost more
    // in first touches of fresh memory than in writing it.
    constexpr std::size_t kChunk = 64 * 1024;
    text.reserve(2 * kChunk);
    ProcessFields processes;
    for (std::size_t i = 0; i < map.sockets.size(); ++i) {
        text += i ? ",\n" : "\n";
        writeSocketJson(map.sockets[i], processes, text);
        if (text.size() >= kChunk) {
            out.write(text.data(), std::streamsize(text.size()));
            text.clear(); // keeps its capacity
        }
    }
    text += "],\n\"unreadable\":[";
    for (std::size_t i = 0; i < map.unreadable.size(); ++i) {
        const sysmap::UnreadableProcess& process = map.unreadable[i];
        text += i ? ",\n" : "\n";
        text += "{\"pid\":" + std::to_string(process.identity.pid) +
                ",\"command\":" + jsonString(process.identity.command) +
                ",\"why\":" + jsonString(process.why) + "}";
    }
    text += "],\n\"problems\":[";
    for (std::size_t i = 0; i < map.problems.size(); ++i)
        text += (i ? "," : "") + jsonString(map.problems[i]);
    text += "]}\n";
    out << text;
}

void writeMapCsv(const sysmap::MachineMap& map, std::ostream& out) {
    std::string text = "inode,kind,state,local,peer,count,pid,command,fd,cloexec,nonblocking,"
                       "async,receive_queue,send_queue,receive_buffer,send_buffer,peer_inode\r\n";
    for (const MapSocket& socket : map.sockets) {
        const sysmap::KernelSocket& k = socket.kernel;
        const std::string head = std::to_string(k.inode) + ',' + csvField(k.kind) + ',' +
                                 csvField(k.state) + ',' + csvField(k.local) + ',' +
                                 csvField(k.peer) + ',' + std::to_string(socket.holders.size());
        const std::string tail =
            socket.listedByKernel
                ? std::to_string(k.receiveQueue) + ',' + std::to_string(k.sendQueue) + ',' +
                      optionalNumber(k.receiveBuffer) + ',' + optionalNumber(k.sendBuffer) + ',' +
                      (k.kind.starts_with("unix") ? std::to_string(k.peerInode) : "")
                : ",,,,";
        if (socket.holders.empty())
            text += head + ",,,,,,," + tail + "\r\n";
        for (const MapHolder& holder : socket.holders)
            text += head + ',' + std::to_string(holder.pid) + ',' + csvField(holder.command()) +
                    ',' + std::to_string(holder.fd) + ',' + boolText(holder.flags.closeOnExec) +
                    ',' + boolText(holder.flags.nonBlocking) + ',' + boolText(holder.flags.async) +
                    ',' + tail + "\r\n";
    }
    out << text;
}

void writeMapTable(const sysmap::MachineMap& map, std::ostream& out) {
    for (const std::string& problem : map.problems)
        out << "socklens-cli: " << problem << '\n';
    for (const MapSocket& socket : map.sockets) {
        const sysmap::KernelSocket& k = socket.kernel;
        out << k.kind << ' ' << (k.state.empty() ? "-" : k.state) << ' '
            << (k.local.empty() ? "(unnamed)" : k.local);
        if (!k.peer.empty())
            out << " -> " << k.peer;
        if (k.peerInode != 0)
            out << " (peer inode " << k.peerInode << ')';
        out << "  inode " << k.inode;
        if (socket.listedByKernel) {
            out << "  recv-q " << k.receiveQueue << " send-q " << k.sendQueue;
            if (k.receiveBuffer)
                out << "  SO_RCVBUF " << *k.receiveBuffer;
            if (k.sendBuffer)
                out << " SO_SNDBUF " << *k.sendBuffer;
        } else {
            out << "  (not in the kernel's TCP, UDP or Unix lists)";
        }
        out << "\n  " << socket.holders.size() << " descriptor(s) in " << socket.processCount()
            << " process(es)\n";
        for (const MapHolder& holder : socket.holders) {
            out << "    pid " << holder.pid << " " << holder.command() << "  fd " << holder.fd;
            if (!holder.flags.closeOnExec)
                out << "  inherited by exec (no close-on-exec)";
            if (holder.flags.nonBlocking)
                out << "  O_NONBLOCK";
            if (holder.flags.async)
                out << "  O_ASYNC";
            out << '\n';
        }
        for (const MapRegistration& registration : socket.epoll)
            out << "    epoll: pid " << registration.pid << " " << registration.command
                << " (epoll fd " << registration.epollFd << ", registered through fd "
                << registration.interest.targetFd << ") waits for "
                << interestText(registration.interest) << '\n';
    }
    out << map.sockets.size() << " socket(s)\n";
    writeUnreadableSummary(map, out);
}

} // namespace socklens::cli
