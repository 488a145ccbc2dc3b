// The steps of one duplication, as the seeds' ten-step table (C11): who did what, when,
// and what crossed between the processes.
#pragma once

#include "model/ids.h"
#include "models/keyed_table_model.h"

namespace socklens::ui {

class Session;
struct ChangeSet;

class HandoffStepsModel : public KeyedTableModel<int> {
    Q_OBJECT
public:
    enum Column { StepColumn, ActorColumn, TimeColumn, WhatColumn, DetailColumn, ColumnCount };

    explicit HandoffStepsModel(const Session& session, QObject* parent = nullptr);

    void setDuplication(DuplicationId duplication);
    DuplicationId duplication() const { return duplication_; }

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    void sync();

    const Session& session_;
    DuplicationId duplication_;
};

} // namespace socklens::ui
