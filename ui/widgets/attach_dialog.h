// Session ▸ Attach to process…: a process picker (filter box; pid, user, command line, socket
// count; sortable) and, instead of one process, its tree or every holder of a port. What is
// chosen is attached read-only: observed, never commanded. Below, the Windows programs of the
// Wine prefix, when a Winsock helper runs to list them (issue 11).
#pragma once

#include "broker/attach_target.h"

#include <QDialog>
#include <optional>

class QCheckBox;
class QLabel;
class QPushButton;
class QLineEdit;
class QSortFilterProxyModel;
class QSpinBox;
class QTableView;
class QTableWidget;

namespace socklens::ui {

class ProcessListModel;

class AttachDialog final : public QDialog {
    Q_OBJECT
public:
    explicit AttachDialog(QWidget* parent = nullptr);

    /// What to attach to, once accepted: the selected process (or its tree), or a port's
    /// holders when a port is given.
    std::optional<broker::AttachTarget> target() const;
    ProcessListModel& processes() { return *model_; }
    QLineEdit& filterBox() { return *filter_; }
    QTableView& view() { return *view_; }
    QSpinBox& portBox() { return *port_; }
    QCheckBox& treeBox() { return *tree_; }
    QTableWidget& windowsView() { return *windows_; }
    QLabel& windowsNote() { return *windowsNote_; }

    /// Fills the Windows programs section: the prefix's processes (pids and images in step),
    /// or why they are not listed.
    void showWindowsProcesses(const QList<qint64>& pids, const QStringList& images,
                              const QString& why);

private:
    void updateAcceptable();

    ProcessListModel* model_;
    QSortFilterProxyModel* proxy_;
    QLineEdit* filter_;
    QTableView* view_;
    QCheckBox* tree_;
    QSpinBox* port_;
    QLabel* note_;
    QTableWidget* windows_;
    QLabel* windowsNote_;
    QPushButton* attach_ = nullptr;
};

} // namespace socklens::ui
