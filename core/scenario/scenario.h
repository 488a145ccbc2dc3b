// A scenario: steps a person can read, run against the broker, with expectations checked
// against what the OS reports. The text format is documented in docs/scenario-format.md.
#pragma once

#include "model/socket_vocabulary.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace socklens::scenario {

/// A scenario file that cannot be read; the message names the file, line and problem.
class ScenarioError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class Verb {
    Spawn,          ///< spawn NAME
    Create,         ///< create PROC KIND as NAME[, NAME]
    Duplicate,      ///< duplicate DESC into PROC as NAME
    DuplicateToPid, ///< duplicate DESC into pid N (Winsock: WSADuplicateSocket alone)
    HandOff,        ///< handoff DESC into PROC as NAME
    Dup,            ///< dup DESC as NAME
    Set,            ///< set DESC OPTION VALUE
    Get,            ///< get DESC OPTION
    Register,       ///< register DESC MASK [with MECHANISM]
    Send,           ///< send DESC "TEXT" [from-thread]
    Receive,        ///< recv DESC
    Close,          ///< close DESC
    Reuse,          ///< reuse DESC: its WSAPROTOCOL_INFO a second time (Winsock, C8)
    Kill,           ///< kill PROC
    StartChild,     ///< start-child PROC as NAME [inheriting|not-inheriting] [for DURATION]
    NoInherit,      ///< no-inherit DESC: a child started later does not get it
    Wait,           ///< wait CONDITION within DURATION
    Expect,         ///< expect CONDITION
};

/// What a condition reads.
enum class Quantity {
    Count,  ///< count DESC: descriptors of DESC's socket, observed
    Option, ///< option DESC OPTION: the value read through DESC
    Owner,  ///< owner DESC: process holding the registration of DESC's socket
    Mask,   ///< mask DESC: the registered mask
    Events, ///< events PROC MASK: OS notifications to PROC with those bits since the last register
    Received, ///< received DESC: the bytes the last recv through DESC returned
    TcpState, ///< state DESC
    Open,     ///< open DESC: the socket is still open
    Closed,   ///< closed DESC
    Alive,    ///< alive PROC
    Dead,     ///< dead PROC
    Holders,  ///< holders DESC: the processes holding DESC's socket, with their inherit flags
    Flags,    ///< flags DESC: the WSASocket flags DESC was made or imported with (C9)
};

enum class Comparison { Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual, Holds };

struct Condition {
    Quantity quantity = Quantity::Count;
    std::string subject;  ///< a descriptor or process name
    std::string argument; ///< option name or event mask, where the quantity takes one
    Comparison comparison = Comparison::Holds;
    std::string expected; ///< as written (a number, a name, a quoted text's content)
    std::string text;     ///< the condition as written
};

struct Step {
    int line = 0;
    std::string text;
    /// From a `linux:` or `winsock:` prefix: the step runs only on that backend.
    std::optional<Platform> only;
    Verb verb = Verb::Spawn;
    std::vector<std::string> names; ///< the step's names in the order the syntax gives them
    SocketKind kind = SocketKind::TcpPair;
    SocketOption option = SocketOption::RcvBuf;
    std::int64_t value = 0; ///< set's value; duplicate ... into pid's pid
    EventMask mask = 0;
    std::optional<RegistrationMechanism> mechanism; ///< register ... with MECHANISM
    std::string payload;
    bool fromSecondThread = false; ///< send ... from-thread
    bool inheritHandles = true;    ///< start-child ... inheriting (or not-inheriting)
    std::optional<Condition> condition;
    std::chrono::milliseconds within{0}; ///< wait's bound; start-child's lifetime
    std::vector<std::string> claims;     ///< "C5", ... from a trailing [C5 C6]
    std::string expectedError;           ///< from a trailing "fails CODE": the step must fail so
};

struct Scenario {
    std::string name;
    std::string source; ///< the file path or builtin:NAME, for messages
    std::vector<Step> steps;
};

/// Limits that keep a hostile file cheap: a scenario is a page of steps, not data.
inline constexpr std::size_t kMaxScenarioBytes = 1024 * 1024;
inline constexpr std::size_t kMaxScenarioLineBytes = 4096;

/// Parses a scenario; errors name `source`, the line and the problem.
Scenario parseScenario(const std::string& text, const std::string& name, const std::string& source);
/// A file path or builtin:NAME. A path that is not a regular file (a directory, a device,
/// a FIFO) or is larger than kMaxScenarioBytes is refused by name, without reading it.
Scenario loadScenario(const std::string& reference);

std::string_view toString(Verb verb);

} // namespace socklens::scenario
