// One process pane's rows: the descriptors of one process, which are one contiguous range of
// DescriptorsModel's rows (sorted by process). The range is found by binary search, so a
// change of the source costs each pane O(log n) instead of a filter over every row. A drop
// here duplicates (or hands off) the dragged descriptors into that process.
#pragma once

#include "model/ids.h"

#include <QAbstractProxyModel>

namespace socklens::ui {

class DescriptorsModel;

class ProcessDescriptorsProxy : public QAbstractProxyModel {
    Q_OBJECT
public:
    ProcessDescriptorsProxy(DescriptorsModel& descriptors, ProcessId process,
                            QObject* parent = nullptr);

    ProcessId process() const { return process_; }

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    bool hasChildren(const QModelIndex& parent = {}) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    QModelIndex mapToSource(const QModelIndex& proxyIndex) const override;
    QModelIndex mapFromSource(const QModelIndex& sourceIndex) const override;

    bool canDropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                         const QModelIndex& parent) const override;
    bool dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                      const QModelIndex& parent) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

private:
    /// Sets first_ and count_: this process's source rows.
    void locateRange();
    void onAboutToInsert(int first);
    void onAboutToRemove(int first, int last);
    void onSourceDataChanged(const QModelIndex& topLeft, const QModelIndex& bottomRight,
                             const QList<int>& roles);
    /// Re-reads the range after the source changed; ends a pending insert or remove.
    void settle();

    DescriptorsModel& descriptors_;
    ProcessId process_;
    int first_ = 0; ///< source row of this pane's first row
    int count_ = 0;
    enum class Pending { None, Insert, Remove } pending_ = Pending::None;
};

} // namespace socklens::ui
