// The app's part of attaching to real programs (issue 10): Session ▸ Attach to process…,
// Session ▸ Deep read of an attached process… (after a confirmation), and View ▸ Machine, the
// machine map in a dock. A refused command (a drop onto a read-only pane, above all) is also told
// in the status bar.
#pragma once

#include <QList>

class QAction;
class QMenu;

namespace socklens::ui {

class MainWindow;

/// Adds "Attach to process…" and "Deep read of an attached process…" to `session`; returns
/// them (the caller gates them on a live session).
QList<QAction*> addAttachActions(MainWindow& window, QMenu& session);
/// Adds "Machine" to `view`: shows or hides the machine map's dock.
QAction* addMachineView(MainWindow& window, QMenu& view);

} // namespace socklens::ui
