#include "models/process_descriptors_proxy.h"

#include "models/descriptor_mime.h"
#include "models/descriptors_model.h"

namespace socklens::ui {

ProcessDescriptorsProxy::ProcessDescriptorsProxy(DescriptorsModel& descriptors, ProcessId process,
                                                 QObject* parent)
    : QSortFilterProxyModel(parent)
    , descriptors_(descriptors)
    , process_(process) {
    setSourceModel(&descriptors);
}

bool ProcessDescriptorsProxy::filterAcceptsRow(int sourceRow,
                                               const QModelIndex& sourceParent) const {
    return !sourceParent.isValid() && descriptors_.keyAt(sourceRow).process == process_;
}

Qt::ItemFlags ProcessDescriptorsProxy::flags(const QModelIndex& index) const {
    // Dropping onto a row means "into this pane", like dropping on its empty space.
    return QSortFilterProxyModel::flags(index) | Qt::ItemIsDropEnabled;
}

bool ProcessDescriptorsProxy::canDropMimeData(const QMimeData* data, Qt::DropAction action, int,
                                              int, const QModelIndex&) const {
    return (action == Qt::CopyAction || action == Qt::MoveAction) &&
           !descriptorsFromMime(data).empty();
}

bool ProcessDescriptorsProxy::dropMimeData(const QMimeData* data, Qt::DropAction action, int, int,
                                           const QModelIndex&) {
    return descriptors_.dropInto(data, action, process_);
}

} // namespace socklens::ui
