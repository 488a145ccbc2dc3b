#include "models/processes_model.h"

#include "models/change_set.h"
#include "models/column_titles.h"
#include "models/session.h"
#include "models/style_roles.h"
#include "models/text.h"

namespace socklens::ui {

ProcessesModel::ProcessesModel(const Session& session, QObject* parent)
    : KeyedTableModel(parent)
    , session_(session) {
    connect(&session, &Session::changed, this,
            [this](const ChangeSet& changes, int, int) { update(changes); });
    update(changesOf(session.journal().entries()));
}

void ProcessesModel::update(const ChangeSet& changes) {
    std::vector<ProcessId> gone;
    std::vector<ProcessId> known;
    for (ProcessId id : changes.processes)
        (session_.state().process(id) ? known : gone).push_back(id);
    updateRows(gone, known);
    rowsChanged(known);
}

int ProcessesModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProcessesModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const ProcessState* process = session_.state().process(keyAt(index.row()));
    if (!process)
        return {};
    switch (role) {
    case ProcessRole:
        return process->id.value();
    case AliveRole:
        return process->alive;
    case DimmedRole:
        return !process->alive;
    case HelperRole:
        return process->helper;
    case Qt::ToolTipRole:
        return process->alive ? qs(process->osVersion)
                              : tr("ended: %1").arg(qs(process->exitReason));
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return qs(process->name);
        case PidColumn:
            return qint64(process->pid.value());
        case PlatformColumn:
            return QString(qs(toString(process->platform)) +
                           (process->helper ? QString() : tr(" (not a helper)")));
        case StatusColumn:
            return process->alive ? tr("alive") : tr("dead: %1").arg(qs(process->exitReason));
        }
    }
    return {};
}

QVariant ProcessesModel::headerData(int section, Qt::Orientation orientation, int role) const {
    static const char* const kTitles[] = {"Process", "PID", "Platform", "Status"};
    static_assert(std::size(kTitles) == ColumnCount);
    return columnTitle<ProcessesModel>(kTitles, section, orientation, role);
}

} // namespace socklens::ui
