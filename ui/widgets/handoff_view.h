// The handoff sequence of one duplication: the seeds' ten steps in a table and, beside it,
// everything that crossed in the selected step — for Winsock the WSAPROTOCOL_INFO's fields
// and bytes, which a table cell can only hint at.
#pragma once

#include "model/ids.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTableView;

namespace socklens::ui {

class HandoffStepsModel;
class Session;

class HandoffView : public QWidget {
    Q_OBJECT
public:
    HandoffView(const Session& session, HandoffStepsModel& steps, QWidget* parent = nullptr);

    void showDuplication(DuplicationId duplication);

private:
    void showDetailOf(int row);
    void selectRichestStep();

    const Session& session_;
    HandoffStepsModel& steps_;
    QLabel* caption_;
    QTableView* table_;
    QPlainTextEdit* detail_;
};

} // namespace socklens::ui
