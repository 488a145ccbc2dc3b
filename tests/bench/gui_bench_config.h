// The GUI benchmark's command-line options: the session's size and what each phase does.
#pragma once

#include "model/socket_vocabulary.h"

#include <optional>

namespace socklens::bench {

struct Config {
    int helpers = 64;
    int pairs = 500; ///< per helper: two descriptors each
    SocketKind kind = SocketKind::UnixPair;
    double steadySeconds = 20;
    int ticks = 5;        ///< observe() calls timed on their own
    int uncommanded = 50; ///< closes injected into helpers, seen only by the tick
    int commands = 20;    ///< closes through Engine::close
    int probeGapMs = 400; ///< mean gap between injected closes (uniform 0.25x .. 1.75x)
};

/// The options from argv; nullopt (after a sentence and the usage on stderr) when one is bad.
std::optional<Config> parseArguments(int argc, char** argv);

} // namespace socklens::bench
