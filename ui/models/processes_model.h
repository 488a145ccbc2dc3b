// The processes of the session (helpers and other holders): what the pane headers and the
// "Duplicate into ▸" menus show.
#pragma once

#include "model/ids.h"
#include "models/keyed_table_model.h"

namespace socklens::ui {

class Session;
struct ChangeSet;

class ProcessesModel : public KeyedTableModel<ProcessId> {
    Q_OBJECT
public:
    enum Column { NameColumn, PidColumn, PlatformColumn, StatusColumn, ColumnCount };
    enum Role { ProcessRole = Qt::UserRole + 1, AliveRole, HelperRole };

    explicit ProcessesModel(const Session& session, QObject* parent = nullptr);

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    void update(const ChangeSet& changes);

    const Session& session_;
};

} // namespace socklens::ui
