// The processes of the machine for the Attach dialog, like a system monitor's list: pid,
// user, command line and how many sockets each holds (unknown for another user's process
// without privilege). Read off the GUI thread; rows keyed by pid.
#pragma once

#include "models/background_reader.h"
#include "models/keyed_table_model.h"

#include <QString>
#include <cstdint>
#include <map>

namespace socklens::ui {

struct ProcessRow {
    std::int64_t pid = 0;
    QString user;
    QString commandLine;   ///< the command (comm) in brackets when there is no command line
    int sockets = -1;      ///< -1: its descriptors cannot be read
    QString unreadableWhy; ///< why not, when they cannot
};

class ProcessListModel final : public KeyedTableModel<std::int64_t> {
    Q_OBJECT
public:
    enum Column { PidColumn, UserColumn, CommandColumn, SocketsColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1 };

    explicit ProcessListModel(QObject* parent = nullptr);

    /// Reads every process again (off the GUI thread); the rows change when done.
    bool refresh();
    /// Every process of the machine, read now on the calling thread.
    static std::map<std::int64_t, ProcessRow> readProcesses();

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

Q_SIGNALS:
    void refreshed();

private:
    std::map<std::int64_t, ProcessRow> rows_;
    BackgroundReader reader_;
};

} // namespace socklens::ui
