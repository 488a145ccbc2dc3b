#include "cli/map_output.h"

#include "model/session_format.h"
#include "report/csv_report.h"

#include <cstdio>
#include <map>

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

void writeHolderJson(const MapHolder& holder, std::string& out) {
    out += "{\"pid\":" + std::to_string(holder.pid) +
           ",\"command\":" + jsonString(holder.command()) + ",\"fd\":" + std::to_string(holder.fd) +
           ",\"cloexec\":" + boolText(holder.flags.closeOnExec) +
           ",\"nonblocking\":" + boolText(holder.flags.nonBlocking) +
           ",\"async\":" + boolText(holder.flags.async) +
           ",\"ppid\":" + std::to_string(holder.parentPid()) +
           ",\"cmdline\":" + jsonString(holder.commandLine()) + "}";
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

void writeSocketJson(const MapSocket& socket, std::string& out) {
    const sysmap::KernelSocket& k = socket.kernel;
    out += "{\"inode\":" + std::to_string(k.inode) + ",\"kind\":" + jsonString(k.kind) +
           ",\"local\":" + jsonString(k.local) + ",\"peer\":" + jsonString(k.peer) +
           ",\"state\":" + jsonString(k.state) +
           ",\"count\":" + std::to_string(socket.holders.size()) +
           ",\"processes\":" + std::to_string(socket.processCount()) +
           ",\"listed_by_kernel\":" + boolText(socket.listedByKernel);
    if (socket.listedByKernel) {
        out += ",\"receive_queue\":" + std::to_string(k.receiveQueue) +
               ",\"send_queue\":" + std::to_string(k.sendQueue);
        if (k.receiveBuffer)
            out += ",\"receive_buffer\":" + std::to_string(*k.receiveBuffer);
        if (k.sendBuffer)
            out += ",\"send_buffer\":" + std::to_string(*k.sendBuffer);
        if (k.kind.starts_with("unix"))
            out += ",\"peer_inode\":" + std::to_string(k.peerInode);
    }
    out += ",\"holders\":[";
    for (std::size_t i = 0; i < socket.holders.size(); ++i) {
        if (i)
            out += ',';
        writeHolderJson(socket.holders[i], out);
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

std::string jsonString(std::string_view text) {
    std::string out = "\"";
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
    return out + '"';
}

void writeMapJson(const sysmap::MachineMap& map, std::ostream& out) {
    std::string text = "{\"format\":\"socklens-machine-map\",\"version\":1,\"kernel\":" +
                       jsonString(hostKernel()) + ",\"sockets\":[";
    text.reserve(map.sockets.size() * 400);
    for (std::size_t i = 0; i < map.sockets.size(); ++i) {
        text += i ? ",\n" : "\n";
        writeSocketJson(map.sockets[i], text);
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
