// One process pane's rows: the descriptors of one process. A drop here duplicates (or
// hands off) the dragged descriptors into that process.
#pragma once

#include "model/ids.h"

#include <QSortFilterProxyModel>

namespace socklens::ui {

class DescriptorsModel;

class ProcessDescriptorsProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    ProcessDescriptorsProxy(DescriptorsModel& descriptors, ProcessId process,
                            QObject* parent = nullptr);

    ProcessId process() const { return process_; }

    bool canDropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                         const QModelIndex& parent) const override;
    bool dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                      const QModelIndex& parent) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    DescriptorsModel& descriptors_;
    ProcessId process_;
};

} // namespace socklens::ui
