#include "widgets/attach_dialog.h"

#include "models/process_list_model.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

namespace socklens::ui {

AttachDialog::AttachDialog(QWidget* parent)
    : QDialog(parent)
    , model_(new ProcessListModel(this))
    , proxy_(new QSortFilterProxyModel(this))
    , filter_(new QLineEdit(this))
    , view_(new QTableView(this))
    , tree_(new QCheckBox(tr("With its &descendants (new children join as they appear)"), this))
    , port_(new QSpinBox(this))
    , note_(new QLabel(this))
    , windows_(new QTableWidget(0, 2, this))
    , windowsNote_(new QLabel(this)) {
    setWindowTitle(tr("Attach to process"));
    setObjectName(QStringLiteral("attachDialog"));
    resize(820, 520);

    proxy_->setSourceModel(model_);
    proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);
    proxy_->setFilterKeyColumn(-1); // pid, user and command line alike
    proxy_->setSortRole(ProcessListModel::SortRole);
    filter_->setPlaceholderText(tr("Filter by pid, user or command line"));
    filter_->setClearButtonEnabled(true);
    connect(filter_, &QLineEdit::textChanged, proxy_, &QSortFilterProxyModel::setFilterFixedString);

    view_->setModel(proxy_);
    view_->setSortingEnabled(true);
    view_->sortByColumn(ProcessListModel::SocketsColumn, Qt::DescendingOrder);
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setSelectionMode(QAbstractItemView::SingleSelection);
    view_->verticalHeader()->hide();
    view_->horizontalHeader()->setSectionResizeMode(ProcessListModel::CommandColumn,
                                                    QHeaderView::Stretch);
    connect(view_, &QTableView::doubleClicked, this, &QDialog::accept);

    port_->setRange(0, 65535);
    port_->setSpecialValueText(tr("none"));
    port_->setToolTip(tr("Instead of the selected process: every process holding a socket bound "
                         "or connected to this port, also those that start later"));
    note_->setWordWrap(true);
    note_->setText(tr("Attached processes are read-only: socklens reads /proc and the kernel's "
                      "socket list (sock_diag), injects nothing and copies no descriptor."));

    windows_->setObjectName(QStringLiteral("windowsProcesses"));
    windows_->setHorizontalHeaderLabels({tr("Windows pid"), tr("Program")});
    windows_->setSelectionBehavior(QAbstractItemView::SelectRows);
    windows_->setSelectionMode(QAbstractItemView::SingleSelection);
    windows_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    windows_->verticalHeader()->hide();
    windows_->horizontalHeader()->setStretchLastSection(true);
    windows_->setMaximumHeight(140);
    windows_->setToolTip(tr("Windows programs of socklens's Wine prefix: attached, their socket "
                            "handles are read through copies in a Winsock helper, closed at once "
                            "and never counted"));
    windowsNote_->setWordWrap(true);
    windowsNote_->setText(tr("Start a Winsock helper to list the Wine prefix's programs."));
    connect(windows_, &QTableWidget::doubleClicked, this, &QDialog::accept);
    // One choice at a time: a Linux process or a Windows program.
    connect(windows_, &QTableWidget::itemSelectionChanged, this, [this] {
        if (!windows_->selectedItems().isEmpty())
            view_->clearSelection();
        updateAcceptable();
    });
    connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        if (view_->selectionModel()->hasSelection())
            windows_->clearSelection();
    });

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    attach_ = buttons->addButton(tr("&Attach"), QDialogButtonBox::AcceptRole);
    QPushButton* refresh = buttons->addButton(tr("&Refresh"), QDialogButtonBox::ResetRole);
    connect(refresh, &QPushButton::clicked, model_, &ProcessListModel::refresh);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AttachDialog::updateAcceptable);
    connect(port_, &QSpinBox::valueChanged, this, &AttachDialog::updateAcceptable);

    auto* options = new QFormLayout;
    options->addRow(tr("Or every holder of &port:"), port_);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(filter_);
    layout->addWidget(view_, 1);
    layout->addWidget(tree_);
    layout->addLayout(options);
    layout->addWidget(note_);
    layout->addWidget(new QLabel(tr("<b>Windows programs (Wine)</b>"), this));
    layout->addWidget(windows_);
    layout->addWidget(windowsNote_);
    layout->addWidget(buttons);
    updateAcceptable();
    model_->refresh();
}

void AttachDialog::updateAcceptable() {
    attach_->setEnabled(target().has_value());
}

std::optional<broker::AttachTarget> AttachDialog::target() const {
    if (port_->value() > 0)
        return broker::AttachTarget{broker::AttachTarget::Kind::Port,
                                    std::uint64_t(port_->value())};
    if (const QList<QTableWidgetItem*> chosen = windows_->selectedItems(); !chosen.isEmpty())
        return broker::AttachTarget{
            broker::AttachTarget::Kind::WindowsPid,
            std::uint64_t(
                windows_->item(chosen.front()->row(), 0)->data(Qt::UserRole).toLongLong())};
    const QModelIndexList rows = view_->selectionModel()->selectedRows(ProcessListModel::PidColumn);
    if (rows.isEmpty())
        return std::nullopt;
    return broker::AttachTarget{
        tree_->isChecked() ? broker::AttachTarget::Kind::Tree : broker::AttachTarget::Kind::Pid,
        std::uint64_t(rows.front().data(ProcessListModel::SortRole).toLongLong())};
}

void AttachDialog::showWindowsProcesses(const QList<qint64>& pids, const QStringList& images,
                                        const QString& why) {
    windows_->setRowCount(0);
    for (qsizetype i = 0; i < pids.size() && i < images.size(); ++i) {
        const int row = windows_->rowCount();
        windows_->insertRow(row);
        auto* pid = new QTableWidgetItem(QString::number(pids[i]));
        pid->setData(Qt::UserRole, pids[i]);
        windows_->setItem(row, 0, pid);
        windows_->setItem(row, 1, new QTableWidgetItem(images[i]));
    }
    windowsNote_->setText(!why.isEmpty()   ? why
                          : pids.isEmpty() ? tr("The Wine prefix runs no program but the helpers.")
                                           : tr("Listed by the session's Winsock helper "
                                                "(CreateToolhelp32Snapshot)."));
    updateAcceptable();
}

} // namespace socklens::ui
