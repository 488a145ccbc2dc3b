// The app's part of attaching to real programs (issue 10): Session ▸ Attach to process…, and
// View ▸ Machine, the machine map in a dock. A refused command (a drop onto a read-only
// pane, above all) is also told in the status bar.
#pragma once

class QAction;
class QMenu;

namespace socklens::ui {

class MainWindow;

/// Adds "Attach to process…" to `session`; returns it (the caller gates it on a live session).
QAction* addAttachAction(MainWindow& window, QMenu& session);
/// Adds "Machine" to `view`: shows or hides the machine map's dock.
QAction* addMachineView(MainWindow& window, QMenu& view);

} // namespace socklens::ui
