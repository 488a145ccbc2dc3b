// View ▸ Machine: the machine's sockets with their holders, as `socklens-cli map` lists them,
// with the same filters (pids, a tree, a port, shared only), refreshed every second while
// shown. The reading runs off the GUI thread (MachineMapModel).
#pragma once

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QSpinBox;
class QTableView;
class QTimer;

namespace socklens::ui {

class MachineMapModel;

class MachineView final : public QWidget {
    Q_OBJECT
public:
    explicit MachineView(QWidget* parent = nullptr);

    MachineMapModel& model() { return *model_; }
    QTableView& view() { return *view_; }
    /// Reads the filter boxes; a box that does not parse says so in the status line.
    void applyFilter();

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    MachineMapModel* model_;
    QSortFilterProxyModel* proxy_;
    QTableView* view_;
    QLineEdit* pids_;
    QLineEdit* tree_;
    QSpinBox* port_;
    QCheckBox* shared_;
    QLabel* status_;
    QTimer* timer_;
    QString filterProblem_;
};

} // namespace socklens::ui
