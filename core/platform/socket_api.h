// Socket operations of the calling process, one implementation per OS
// (platform/posix/*.cpp, platform/win32/*.cpp). Every failure throws OsError.
#pragma once

#include "model/ids.h"
#include "model/socket_vocabulary.h"
#include "protocol/messages.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace socklens::platform {

/// Makes the sockets of `kind`. TcpPair/UnixPair return {client end, other end}.
/// `wsaFlags` is Winsock-only (0 = socket()); Linux ignores it.
std::vector<Handle> createSockets(SocketKind kind, std::uint32_t wsaFlags);

/// Identity, family/type/protocol, addresses and TCP state, read from the OS.
protocol::SocketDescription describeSocket(Handle handle);

/// Reads/writes through this handle. SO_LINGER: -1 = off, N >= 0 = on with N seconds.
std::int64_t getOption(Handle handle, SocketOption option);
/// getOption without throwing: a failure (TCP_NODELAY on a Unix socket) is the reading's
/// errorCode. Observation reads every option of every descriptor, so failures are common.
protocol::OptionReading readOption(Handle handle, SocketOption option);
void setOption(Handle handle, SocketOption option, std::int64_t value);

/// The process that holds the notification registration of the socket (0 = none), read back
/// through this handle (Linux: F_GETOWN_EX). -1 where the OS cannot tell (Winsock).
std::int64_t registrationOwner(Handle handle);

/// Another descriptor for the same socket in this process. `wsaFlags`: Winsock only, the flags
/// WSASocket(FROM_PROTOCOL_INFO) gets for the copy.
Handle duplicateInProcess(Handle handle, std::uint32_t wsaFlags = protocol::kWsaFlagOverlapped);

/// Winsock: WSADuplicateSocket(handle, targetPid); returns the WSAPROTOCOL_INFOW bytes the
/// target needs. Linux: throws OsError (EOPNOTSUPP).
std::vector<std::uint8_t> duplicateForProcess(Handle handle, std::int64_t targetPid);
/// Winsock: WSASocket(FROM_PROTOCOL_INFO, ..., info, 0, wsaFlags) with the bytes another process
/// got from duplicateForProcess. Linux: throws OsError (EOPNOTSUPP).
Handle importProtocolInfo(std::span<const std::uint8_t> info, std::uint32_t wsaFlags);
/// Winsock: HandleCount of the socket object, from NtQueryObject(ObjectBasicInformation): the
/// handles of all processes that name it. Linux: nullopt, it keeps no such count (the broker
/// counts /proc/*/fd instead).
std::optional<std::uint32_t> handleCount(Handle handle);
std::size_t sendBytes(Handle handle, std::span<const std::uint8_t> bytes);
/// Waits up to `wait` for data, then receives without blocking; throws OsError
/// (EAGAIN / WSAEWOULDBLOCK) when nothing came.
std::vector<std::uint8_t> receiveBytes(Handle handle, std::size_t maxBytes,
                                       std::chrono::milliseconds wait);
void closeHandle(Handle handle);

std::int64_t currentPid();
std::int64_t currentThreadId(); ///< Linux: gettid(); Windows: GetCurrentThreadId()
std::string osVersion();        ///< "Linux 6.1.0-18-amd64", "Wine 8.0 (Windows 10.0)"
Platform currentPlatform();

} // namespace socklens::platform
