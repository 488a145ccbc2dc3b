// The journal as a filterable log. Clicking an entry selects what it names; double-clicking
// it replays the session to just after it. Entries after the replay point are grey.
#pragma once

#include "model/ids.h"

#include <QWidget>

class QTableView;

namespace socklens::ui {

class JournalFilterProxy;
class JournalModel;

class JournalView : public QWidget {
    Q_OBJECT
public:
    JournalView(JournalModel& model, QWidget* parent = nullptr);

Q_SIGNALS:
    void socketNamed(socklens::SocketId socket);
    void duplicationNamed(socklens::DuplicationId duplication);
    /// Show the session as it was after its first `entries` journal entries.
    void seekRequested(int entries);

private:
    JournalFilterProxy* proxy_;
    QTableView* view_;
};

} // namespace socklens::ui
