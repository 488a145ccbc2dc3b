// What `socklens` does once Qt is up: the session, the engine, the window, the start-up
// session or demo, and --screenshot.
#pragma once

#include "model/socket_vocabulary.h"

#include <QString>
#include <cstdint>
#include <vector>

namespace socklens::ui {

struct LaunchOptions {
    QString demo;       ///< a built-in scenario to run live instead of the start-up session
    QString screenshot; ///< render the window to this PNG once ready, then exit
    QString helperPath; ///< empty: next to the executable (or $SOCKLENS_HELPER)
    Platform backend = Platform::Linux; ///< what the start-up session and --demo spawn
    QString view;      ///< the lower view to show: timeline, counts, handoff, journal (empty: last)
    int replayAt = -1; ///< once ready, replay to after this many journal entries (-1: live)
    /// Attach read-only to these pids and the holders of this port
    /// (0: none) instead of starting the start-up session.
    std::vector<std::int64_t> attachPids;
    int attachPort = 0;
};

/// True when Qt has somewhere to draw: a platform was chosen, or X11/Wayland is there.
bool displayAvailable();
int runApplication(const LaunchOptions& options);

} // namespace socklens::ui
