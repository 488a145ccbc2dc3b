// The closed vocabularies of journal entries: how a descriptor came and went, who acted in a
// hand-off step. Each name is both what a person reads and what the session file stores, so
// one switch per enum serves the text, the JSON and the parser.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace socklens {

/// How a descriptor came to be held (DescriptorOpened).
enum class DescriptorOrigin : std::uint8_t {
    Created,    ///< a helper made the socket
    Duplicated, ///< it arrived from another process (SCM_RIGHTS, WSADuplicateSocket)
    Dup,        ///< dup() in the same process
    Observed,   ///< a process socklens did not drive holds it; seen in the OS's tables
};

/// How a descriptor stopped being held (DescriptorClosed).
enum class DescriptorEnd : std::uint8_t {
    Closed,        ///< a command closed it
    ProcessExited, ///< its process ended
    ObservedGone,  ///< the OS's tables no longer list it
    /// Its number now names another socket: it was closed and the number reused between two
    /// readings.
    ObservedReused,
};

/// Who acted in one of the seeds' hand-off steps (HandoffStep, C11).
enum class HandoffActor : std::uint8_t { Source, Broker, Target };

constexpr std::string_view toString(DescriptorOrigin origin) {
    switch (origin) {
    case DescriptorOrigin::Created:
        return "created";
    case DescriptorOrigin::Duplicated:
        return "duplicated";
    case DescriptorOrigin::Dup:
        return "dup";
    case DescriptorOrigin::Observed:
        return "observed";
    }
    return "unknown";
}

constexpr std::string_view toString(DescriptorEnd end) {
    switch (end) {
    case DescriptorEnd::Closed:
        return "closed";
    case DescriptorEnd::ProcessExited:
        return "process exited";
    case DescriptorEnd::ObservedGone:
        return "observed gone";
    case DescriptorEnd::ObservedReused:
        return "observed reused";
    }
    return "unknown";
}

constexpr std::string_view toString(HandoffActor actor) {
    switch (actor) {
    case HandoffActor::Source:
        return "source";
    case HandoffActor::Broker:
        return "broker";
    case HandoffActor::Target:
        return "target";
    }
    return "unknown";
}

constexpr std::array kDescriptorOrigins{DescriptorOrigin::Created, DescriptorOrigin::Duplicated,
                                        DescriptorOrigin::Dup, DescriptorOrigin::Observed};
constexpr std::array kDescriptorEnds{DescriptorEnd::Closed, DescriptorEnd::ProcessExited,
                                     DescriptorEnd::ObservedGone, DescriptorEnd::ObservedReused};
constexpr std::array kHandoffActors{HandoffActor::Source, HandoffActor::Broker,
                                    HandoffActor::Target};
// A value added to an enum above must be added to its list (the reader finds values there).
static_assert(kDescriptorOrigins.size() == std::size_t(DescriptorOrigin::Observed) + 1);
static_assert(kDescriptorEnds.size() == std::size_t(DescriptorEnd::ObservedReused) + 1);
static_assert(kHandoffActors.size() == std::size_t(HandoffActor::Target) + 1);

/// The value whose toString() is `name`, if any: the session file's reader uses it.
template <class Enum, std::size_t N>
constexpr std::optional<Enum> enumFromName(std::string_view name,
                                           const std::array<Enum, N>& values) {
    for (Enum value : values) {
        if (toString(value) == name)
            return value;
    }
    return std::nullopt;
}

} // namespace socklens
