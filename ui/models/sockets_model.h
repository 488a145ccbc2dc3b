// One row per underlying socket with its descriptor count as observed from the OS.
#pragma once

#include "model/ids.h"
#include "models/keyed_table_model.h"

#include <QSortFilterProxyModel>

namespace socklens::ui {

class Session;
struct ChangeSet;

class SocketsModel : public KeyedTableModel<SocketId> {
    Q_OBJECT
public:
    enum Column {
        SocketColumn,
        KindColumn,
        LocalColumn,
        PeerColumn,
        TcpStateColumn,
        CountColumn,
        HoldersColumn,
        StatusColumn,
        ColumnCount
    };
    enum Role {
        SocketRole = Qt::UserRole + 1,
        CountRole,
        SortKeyRole, ///< what a column sorts by: numbers as numbers (S2 before S10)
    };

    explicit SocketsModel(const Session& session, QObject* parent = nullptr);

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    void update(const ChangeSet& changes);

    const Session& session_;
};

/// The sockets table as shown: sorted by a clicked header, filtered by a text that may match
/// any column (address, port, kind, holder, state).
class SocketsFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit SocketsFilterProxy(SocketsModel& sockets, QObject* parent = nullptr);
};

} // namespace socklens::ui
