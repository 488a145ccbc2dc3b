// The right-click menus of the main window's tables: a socket row (Properties, its processes'
// details, copy its addresses), the journal's requests for the same dialogs, and on every
// table header a column chooser that remembers what was hidden.
#pragma once

#include "model/ids.h"

#include <QObject>

class QPoint;
class QTableView;

namespace socklens::ui {

class MainWindow;

/// A header context menu with a check box per column of `view`; the hidden columns are kept
/// in QSettings under `key`.
void installColumnChooser(QTableView& view, const QString& key);

class TableMenus : public QObject {
    Q_OBJECT
public:
    /// Wires the tables of `window` (found by object name: socketsTable, journal).
    explicit TableMenus(MainWindow& window);

    void showSocketMenu(SocketId socket, const QPoint& globalPosition);

private:
    MainWindow& window_;
};

} // namespace socklens::ui
