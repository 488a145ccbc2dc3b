// Starts a helper by hand, as a user would with `socklens-helper --listen PATH`, for the tests
// that attach to one.
#pragma once

#include <string>
#include <sys/types.h>

namespace socklens::testing {

struct ListeningHelper {
    pid_t pid = -1;
    std::string said; ///< its first line, which names the path once it listens
};

/// Runs `program --listen path`, with $SOCKLENS_ROGUE set to `rogueMode` when one is given,
/// and waits (at most 5 s) for the line it prints once it is ready.
ListeningHelper startListeningHelper(const char* program, const std::string& path,
                                     const char* rogueMode = nullptr);

} // namespace socklens::testing
