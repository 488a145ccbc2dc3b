#include "models/handoff_steps_model.h"

#include "models/change_set.h"
#include "models/column_titles.h"
#include "models/session.h"
#include "models/style_roles.h"
#include "models/text.h"

#include <algorithm>
#include <numeric>

namespace socklens::ui {

namespace {
// The seeds' table, for steps the duplication has not reached (yet).
const char* const kSeedSteps[] = {
    "socket + connect",
    "ask the target for its process id",
    "the target answers",
    "receive the process id",
    "duplicate the descriptor",
    "send it to the target",
    "receive it",
    "the target makes its descriptor",
    "exchange data",
    "close",
};
} // namespace

HandoffStepsModel::HandoffStepsModel(const Session& session, QObject* parent)
    : KeyedTableModel(parent)
    , session_(session) {
    connect(&session, &Session::changed, this, [this](const ChangeSet& changes, int, int) {
        if (changes.duplications.contains(duplication_))
            sync();
    });
}

void HandoffStepsModel::setDuplication(DuplicationId duplication) {
    if (duplication == duplication_)
        return;
    duplication_ = duplication;
    syncRows({});
    sync();
}

void HandoffStepsModel::sync() {
    // Always the ten rows of the table; the ones the duplication reached are filled in.
    std::vector<int> rows(duplication_.valid() ? 10 : 0);
    std::iota(rows.begin(), rows.end(), 1);
    syncRows(rows);
    if (!rows.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int HandoffStepsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HandoffStepsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() ||
        (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != DimmedRole))
        return {};
    const int number = keyAt(index.row());
    const auto found = session_.state().duplications.find(duplication_);
    const HandoffStepState* step = nullptr;
    if (found != session_.state().duplications.end()) {
        for (const HandoffStepState& candidate : found->second.steps) {
            if (candidate.step == number)
                step = &candidate;
        }
    }
    if (role == DimmedRole)
        return step == nullptr;
    if (role == Qt::ToolTipRole)
        return step ? qs(step->detail) : tr("not reached (yet)");
    // From the first step to happen: a late-journaled step is not the journal's first.
    std::int64_t start = step ? step->timeUs : 0;
    if (found != session_.state().duplications.end()) {
        for (const HandoffStepState& candidate : found->second.steps)
            start = std::min(start, candidate.timeUs);
    }
    switch (index.column()) {
    case StepColumn:
        return number;
    case ActorColumn:
        return step ? qs(toString(step->actor)) : QString();
    case TimeColumn:
        return step ? QStringLiteral("+%1 ms").arg(double(step->timeUs - start) / 1000.0, 0, 'f', 2)
                    : QString();
    case WhatColumn:
        return step ? qs(step->text) : tr(kSeedSteps[number - 1]);
    case DetailColumn:
        return step ? qs(step->detail) : QString();
    }
    return {};
}

QVariant HandoffStepsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    static const char* const kTitles[] = {"Step", "Who", "Time", "What happened", "What crossed"};
    static_assert(std::size(kTitles) == ColumnCount);
    return columnTitle<HandoffStepsModel>(kTitles, section, orientation, role);
}

} // namespace socklens::ui
