// How a helper's loop ends, the same on every OS: the broker hanging up is the normal end;
// a broken protocol or a failed OS call ends it with one line on stderr, which the broker
// journals as the helper's exit reason.
#pragma once

#include "platform/os_error.h"
#include "protocol/codec.h"

#include <iostream>

namespace socklens::helper {

/// Runs `serve` (the loop) and returns the helper's exit code: 0, or 1 with the line said.
template <class Serve> int exitCodeOf(const Serve& serve) {
    try {
        serve();
        return 0;
    } catch (const protocol::ProtocolError& error) {
        std::cerr << "socklens-helper: the broker broke the protocol: " << error.what() << '\n';
    } catch (const platform::OsError& error) {
        std::cerr << "socklens-helper: " << error.sentence() << '\n';
    }
    return 1;
}

} // namespace socklens::helper
