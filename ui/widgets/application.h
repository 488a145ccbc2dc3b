// What `socklens` does once Qt is up: the session, the engine, the window, the start-up
// session or demo, and --screenshot.
#pragma once

#include <QString>

namespace socklens::ui {

struct LaunchOptions {
    QString demo;       ///< a built-in scenario to run live instead of the start-up session
    QString screenshot; ///< render the window to this PNG once ready, then exit
    QString helperPath; ///< empty: next to the executable (or $SOCKLENS_HELPER)
};

/// True when Qt has somewhere to draw: a platform was chosen, or X11/Wayland is there.
bool displayAvailable();
int runApplication(const LaunchOptions& options);

} // namespace socklens::ui
