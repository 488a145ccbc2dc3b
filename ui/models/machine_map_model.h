// The machine map (View ▸ Machine): every socket of the machine that the filter selects, with
// its holders, as `socklens-cli map` prints it. Read off the GUI thread at each refresh; rows
// are keyed by inode, so a refresh inserts and removes only what changed and keeps the view's
// selection.
#pragma once

#include "models/background_reader.h"
#include "models/keyed_table_model.h"
#include "sysmap/machine_map.h"

#include <cstdint>

namespace socklens::ui {

class MachineMapModel final : public KeyedTableModel<std::uint64_t> {
    Q_OBJECT
public:
    enum Column {
        InodeColumn,
        KindColumn,
        LocalColumn,
        PeerColumn,
        StateColumn,
        CountColumn,
        HoldersColumn,
        ColumnCount
    };
    enum Role { SortRole = Qt::UserRole + 1 };

    explicit MachineMapModel(QObject* parent = nullptr);

    /// Takes effect at the next refresh.
    void setFilter(sysmap::MapFilter filter) { filter_ = std::move(filter); }
    /// Starts a read of the machine; the rows change when it is done (refreshed()). False
    /// when a read is still running.
    bool refresh();
    const sysmap::MachineMap& map() const { return map_; }
    /// "12 sockets · 3 processes could not be read: ..." for the status line.
    QString summary() const;

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

Q_SIGNALS:
    void refreshed();

private:
    void take(sysmap::MachineMap map);
    const sysmap::MapSocket* socketAt(int row) const;

    sysmap::MapFilter filter_;
    sysmap::MachineMap map_; ///< sockets by inode, as the rows
    BackgroundReader reader_;
};

/// One holder per line: "pid 4242 nginx fd 5 (no cloexec)".
QString holdersText(const sysmap::MapSocket& socket, const QString& separator);

} // namespace socklens::ui
