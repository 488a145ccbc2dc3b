#include "models/process_descriptors_proxy.h"

#include "models/descriptor_mime.h"
#include "models/descriptors_model.h"

#include <algorithm>
#include <utility>

namespace socklens::ui {

ProcessDescriptorsProxy::ProcessDescriptorsProxy(DescriptorsModel& descriptors, ProcessId process,
                                                 QObject* parent)
    : QAbstractProxyModel(parent)
    , descriptors_(descriptors)
    , process_(process) {
    QAbstractProxyModel::setSourceModel(&descriptors);
    locateRange();
    connect(&descriptors, &QAbstractItemModel::rowsAboutToBeInserted, this,
            [this](const QModelIndex&, int first, int) { onAboutToInsert(first); });
    connect(&descriptors, &QAbstractItemModel::rowsInserted, this, [this] { settle(); });
    connect(&descriptors, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [this](const QModelIndex&, int first, int last) { onAboutToRemove(first, last); });
    connect(&descriptors, &QAbstractItemModel::rowsRemoved, this, [this] { settle(); });
    connect(&descriptors, &QAbstractItemModel::dataChanged, this,
            &ProcessDescriptorsProxy::onSourceDataChanged);
    // DescriptorsModel never resets or reorders; should it, the pane starts over.
    connect(&descriptors, &QAbstractItemModel::modelAboutToBeReset, this,
            [this] { beginResetModel(); });
    connect(&descriptors, &QAbstractItemModel::modelReset, this, [this] {
        locateRange();
        endResetModel();
    });
}

void ProcessDescriptorsProxy::locateRange() {
    const auto& keys = descriptors_.keys();
    const auto from = std::partition_point(
        keys.begin(), keys.end(), [&](const DescriptorRef& ref) { return ref.process < process_; });
    const auto to = std::partition_point(
        from, keys.end(), [&](const DescriptorRef& ref) { return ref.process == process_; });
    first_ = int(from - keys.begin());
    count_ = int(to - from);
}

void ProcessDescriptorsProxy::onAboutToInsert(int first) {
    const auto incoming = descriptors_.incomingKeys();
    const auto mine =
        std::count_if(incoming.begin(), incoming.end(),
                      [&](const DescriptorRef& ref) { return ref.process == process_; });
    if (mine == 0)
        return;
    // Mine sort after the run's other keys of lower processes and land next to my rows.
    const int row = std::clamp(first - first_, 0, count_);
    beginInsertRows({}, row, row + int(mine) - 1);
    pending_ = Pending::Insert;
}

void ProcessDescriptorsProxy::onAboutToRemove(int first, int last) {
    const int from = std::max(first, first_);
    const int to = std::min(last, first_ + count_ - 1);
    if (from > to)
        return;
    beginRemoveRows({}, from - first_, to - first_);
    pending_ = Pending::Remove;
}

void ProcessDescriptorsProxy::settle() {
    locateRange();
    const Pending pending = std::exchange(pending_, Pending::None);
    if (pending == Pending::Insert)
        endInsertRows();
    else if (pending == Pending::Remove)
        endRemoveRows();
}

void ProcessDescriptorsProxy::onSourceDataChanged(const QModelIndex& topLeft,
                                                  const QModelIndex& bottomRight,
                                                  const QList<int>& roles) {
    const int from = std::max(topLeft.row(), first_);
    const int to = std::min(bottomRight.row(), first_ + count_ - 1);
    if (from <= to)
        Q_EMIT dataChanged(index(from - first_, topLeft.column()),
                           index(to - first_, bottomRight.column()), roles);
}

QModelIndex ProcessDescriptorsProxy::index(int row, int column, const QModelIndex& parent) const {
    return hasIndex(row, column, parent) ? createIndex(row, column) : QModelIndex();
}

QModelIndex ProcessDescriptorsProxy::parent(const QModelIndex&) const {
    return {};
}

int ProcessDescriptorsProxy::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : count_;
}

int ProcessDescriptorsProxy::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : descriptors_.columnCount();
}

bool ProcessDescriptorsProxy::hasChildren(const QModelIndex& parent) const {
    return !parent.isValid() && count_ > 0;
}

QVariant ProcessDescriptorsProxy::headerData(int section, Qt::Orientation orientation,
                                             int role) const {
    // Columns are the source's; rows are numbered within the pane.
    if (orientation == Qt::Horizontal)
        return descriptors_.headerData(section, orientation, role);
    return QAbstractItemModel::headerData(section, orientation, role);
}

QModelIndex ProcessDescriptorsProxy::mapToSource(const QModelIndex& proxyIndex) const {
    if (!proxyIndex.isValid() || proxyIndex.model() != this)
        return {};
    return descriptors_.index(first_ + proxyIndex.row(), proxyIndex.column());
}

QModelIndex ProcessDescriptorsProxy::mapFromSource(const QModelIndex& sourceIndex) const {
    if (!sourceIndex.isValid())
        return {};
    const int row = sourceIndex.row() - first_;
    return row >= 0 && row < count_ ? index(row, sourceIndex.column()) : QModelIndex();
}

Qt::ItemFlags ProcessDescriptorsProxy::flags(const QModelIndex& index) const {
    // Dropping onto a row means "into this pane", like dropping on its empty space — when
    // the source takes drops at all (not in replay).
    return QAbstractProxyModel::flags(index) |
           (descriptors_.flags(QModelIndex()) & Qt::ItemIsDropEnabled);
}

bool ProcessDescriptorsProxy::canDropMimeData(const QMimeData* data, Qt::DropAction action, int,
                                              int, const QModelIndex&) const {
    return (action == Qt::CopyAction || action == Qt::MoveAction) &&
           descriptors_.flags(QModelIndex()).testFlag(Qt::ItemIsDropEnabled) &&
           !descriptorsFromMime(data).empty();
}

bool ProcessDescriptorsProxy::dropMimeData(const QMimeData* data, Qt::DropAction action, int, int,
                                           const QModelIndex&) {
    return descriptors_.dropInto(data, action, process_);
}

} // namespace socklens::ui
