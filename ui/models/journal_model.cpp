#include "models/journal_model.h"

#include "model/entry_text.h"
#include "models/change_set.h"
#include "models/column_titles.h"
#include "models/session.h"
#include "models/style_roles.h"
#include "models/text.h"

namespace socklens::ui {

namespace {

struct Subject {
    SocketId socket;
    ProcessId process;
    DuplicationId duplication;
};

/// What an entry is about, for "click an entry to select what it names".
Subject subjectOf(const EntryPayload& payload) {
    return std::visit(
        [](const auto& e) {
            Subject subject;
            if constexpr (requires { e.socket; })
                subject.socket = e.socket;
            if constexpr (requires { e.process; })
                subject.process = e.process;
            if constexpr (requires { e.descriptor; })
                subject.process = e.descriptor.process;
            if constexpr (requires { e.through; })
                subject.process = e.through.process;
            if constexpr (requires { e.duplication; })
                subject.duplication = e.duplication;
            return subject;
        },
        payload);
}

} // namespace

JournalModel::JournalModel(const Session& session, QObject* parent)
    : QAbstractTableModel(parent)
    , session_(session)
    , rows_(int(session.journal().entries().size())) {
    connect(&session, &Session::changed, this, [this](const ChangeSet&, int first, int count) {
        if (count == 0) // replay moved: no entries came
            return;
        beginInsertRows({}, first, first + count - 1);
        rows_ = first + count;
        endInsertRows();
    });
    // Entries after the replay point turn grey (and back): only their colour changes.
    connect(&session, &Session::replayMoved, this, [this] {
        if (rows_ > 0)
            Q_EMIT dataChanged(index(0, 0), index(rows_ - 1, ColumnCount - 1), {DimmedRole});
    });
}

int JournalModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : rows_;
}
int JournalModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant JournalModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rows_)
        return {};
    const std::vector<JournalEntry>& entries = session_.journal().entries();
    const JournalEntry& entry = entries[std::size_t(index.row())];
    switch (role) {
    case CategoryRole:
        return int(categoryOf(entry.payload));
    case SocketRole:
        return subjectOf(entry.payload).socket.value();
    case ProcessRole:
        return subjectOf(entry.payload).process.value();
    case DuplicationRole:
        return subjectOf(entry.payload).duplication.value();
    case DimmedRole: // not yet happened in what the views show
        return afterReplay(index.row());
    case AlarmRole:
        return failed(entry.payload);
    case Qt::ToolTipRole:
        return afterReplay(index.row())
                   ? tr("After the replay point: not yet happened in what the views show. "
                        "Double-click to go there.")
                   : tr("Double-click to see the session as it was after this entry.");
    case Qt::DisplayRole:
        switch (index.column()) {
        case SequenceColumn:
            return qulonglong(entry.sequence.value());
        case TimeColumn:
            return QString::number(double(entry.timeUs - entries.front().timeUs) / 1e6, 'f', 3);
        case CategoryColumn:
            return qs(toString(categoryOf(entry.payload)));
        case TextColumn:
            return qs(describeEntry(entry, session_.state()));
        }
    }
    return {};
}

bool JournalModel::afterReplay(int row) const {
    return session_.replaying() && row >= int(session_.visibleEntries().size());
}

bool JournalModel::failed(const EntryPayload& payload) {
    return std::holds_alternative<entry::CommandFailed>(payload) ||
           std::holds_alternative<entry::Problem>(payload);
}

QVariant JournalModel::headerData(int section, Qt::Orientation orientation, int role) const {
    static const char* const kTitles[] = {"#", "Time (s)", "Kind", "Entry"};
    static_assert(std::size(kTitles) == ColumnCount);
    return columnTitle<JournalModel>(kTitles, section, orientation, role);
}

JournalFilterProxy::JournalFilterProxy(QObject* parent)
    : QSortFilterProxyModel(parent) {
    setFilterKeyColumn(JournalModel::TextColumn);
    setFilterCaseSensitivity(Qt::CaseInsensitive);
}

void JournalFilterProxy::setShowObservations(bool show) {
    if (show == showObservations_)
        return;
    showObservations_ = show;
    invalidateRowsFilter();
}

bool JournalFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!showObservations_ &&
        index.data(JournalModel::CategoryRole).toInt() == int(EntryCategory::Observation))
        return false;
    return QSortFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent);
}

} // namespace socklens::ui
