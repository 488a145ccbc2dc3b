// The journal as a filterable log. Clicking an entry selects what it names; double-clicking
// it replays the session to just after it. Entries after the replay point are grey.
#pragma once

#include "model/ids.h"

#include <QWidget>

class QCheckBox;
class QLineEdit;
class QTableView;
class QPoint;

namespace socklens::ui {

class JournalFilterProxy;
class JournalModel;

class JournalView : public QWidget {
    Q_OBJECT
public:
    JournalView(JournalModel& model, QWidget* parent = nullptr);

    /// Selects and shows entry `entry`, clearing a filter that hides it; false when the
    /// journal has no such entry.
    bool selectEntry(Sequence entry);
    /// The entry of the current row, or an invalid one.
    Sequence currentEntry() const;

Q_SIGNALS:
    void socketNamed(socklens::SocketId socket);
    void duplicationNamed(socklens::DuplicationId duplication);
    /// Show the session as it was after its first `entries` journal entries; any number
    /// past the end returns to live.
    void seekRequested(int entries);
    void socketPropertiesRequested(socklens::SocketId socket);
    void processDetailsRequested(socklens::ProcessId process);

private:
    void showMenu(const QPoint& at);
    void fitColumns();

    JournalModel& model_;
    JournalFilterProxy* proxy_;
    QTableView* view_;
    QLineEdit* filter_;
    QCheckBox* observations_;
};

} // namespace socklens::ui
