// Strong identifier types: a process id can never be passed where a socket id is expected.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <string>

namespace socklens {

template <class Tag, class Rep> class StrongId {
public:
    using rep_type = Rep;
    constexpr StrongId() = default;
    constexpr explicit StrongId(Rep value)
        : value_(value) {}
    constexpr Rep value() const { return value_; }
    constexpr bool valid() const { return value_ != Rep{}; }
    constexpr auto operator<=>(const StrongId&) const = default;

private:
    Rep value_{};
};

/// A process known to the session (helper or other holder), numbered by the broker from 1.
using ProcessId = StrongId<struct ProcessTag, std::uint32_t>;
/// An underlying socket (one open file description / one kernel socket object), from 1.
using SocketId = StrongId<struct SocketTag, std::uint32_t>;
/// One duplication (A -> B) with its handoff steps, from 1.
using DuplicationId = StrongId<struct DuplicationTag, std::uint32_t>;
/// Position of an entry in the journal, from 1.
using Sequence = StrongId<struct SequenceTag, std::uint64_t>;
/// The operating system's process id (Linux pid, Windows PID).
using OsPid = StrongId<struct OsPidTag, std::int64_t>;
/// A descriptor value inside its process: a Linux fd or a Winsock SOCKET.
using Handle = StrongId<struct HandleTag, std::int64_t>;

/// One descriptor: a handle inside a process.
struct DescriptorRef {
    ProcessId process;
    Handle handle;
    auto operator<=>(const DescriptorRef&) const = default;
};

std::string toString(const DescriptorRef& ref);

} // namespace socklens

// Hashes, so ids can key unordered containers.
namespace std {

template <class Tag, class Rep>
struct hash<socklens::StrongId<Tag, Rep>> {
    std::size_t operator()(const socklens::StrongId<Tag, Rep>& id) const noexcept {
        return std::hash<Rep>{}(id.value());
    }
};

template <>
struct hash<socklens::DescriptorRef> {
    std::size_t operator()(const socklens::DescriptorRef& ref) const noexcept {
        return std::hash<std::uint64_t>{}((std::uint64_t(ref.process.value()) << 40) ^
                                          std::uint64_t(ref.handle.value()));
    }
};

} // namespace std
