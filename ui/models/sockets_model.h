// One row per underlying socket with its descriptor count as observed from the OS.
#pragma once

#include "model/ids.h"
#include "models/keyed_table_model.h"

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
    enum Role { SocketRole = Qt::UserRole + 1, CountRole };

    explicit SocketsModel(const Session& session, QObject* parent = nullptr);

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    void update(const ChangeSet& changes);

    const Session& session_;
};

} // namespace socklens::ui
