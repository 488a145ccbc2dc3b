#include "widgets/machine_view.h"

#include "models/machine_map_model.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace socklens::ui {

namespace {

constexpr int kRefreshMs = 1000;

/// "12, 40" -> {12, 40}; nullopt when a part is not a pid.
std::optional<std::vector<std::int64_t>> pidList(const QString& text) {
    std::vector<std::int64_t> pids;
    for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const qlonglong pid = part.trimmed().toLongLong(&ok);
        if (!ok || pid <= 0)
            return std::nullopt;
        pids.push_back(pid);
    }
    return pids;
}

} // namespace

MachineView::MachineView(QWidget* parent)
    : QWidget(parent)
    , model_(new MachineMapModel(this))
    , proxy_(new QSortFilterProxyModel(this))
    , view_(new QTableView(this))
    , pids_(new QLineEdit(this))
    , tree_(new QLineEdit(this))
    , port_(new QSpinBox(this))
    , shared_(new QCheckBox(tr("&Shared only"), this))
    , status_(new QLabel(this))
    , timer_(new QTimer(this)) {
    setObjectName(QStringLiteral("machineView"));
    proxy_->setSourceModel(model_);
    proxy_->setSortRole(MachineMapModel::SortRole);
    view_->setModel(proxy_);
    view_->setSortingEnabled(true);
    view_->sortByColumn(MachineMapModel::InodeColumn, Qt::AscendingOrder);
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->verticalHeader()->hide();
    view_->horizontalHeader()->setStretchLastSection(true);
    // One line per socket: a long Unix path is cut in its middle (both ends say the most), and
    // its tooltip has it whole.
    view_->setWordWrap(false);
    view_->setTextElideMode(Qt::ElideMiddle);

    pids_->setPlaceholderText(tr("pids, e.g. 12,40"));
    tree_->setPlaceholderText(tr("tree of pid"));
    port_->setRange(0, 65535);
    port_->setSpecialValueText(tr("any port"));
    shared_->setToolTip(tr("Only sockets held by two or more processes"));
    for (QLineEdit* box : {pids_, tree_})
        connect(box, &QLineEdit::editingFinished, this, &MachineView::applyFilter);
    connect(port_, &QSpinBox::valueChanged, this, &MachineView::applyFilter);
    connect(shared_, &QCheckBox::toggled, this, &MachineView::applyFilter);
    connect(model_, &MachineMapModel::refreshed, this, [this] {
        status_->setText(filterProblem_.isEmpty() ? model_->summary() : filterProblem_);
    });
    timer_->setInterval(kRefreshMs);
    connect(timer_, &QTimer::timeout, model_, &MachineMapModel::refresh);

    auto* filters = new QHBoxLayout;
    filters->addWidget(new QLabel(tr("Held by:"), this));
    filters->addWidget(pids_);
    filters->addWidget(tree_);
    filters->addWidget(new QLabel(tr("Port:"), this));
    filters->addWidget(port_);
    filters->addWidget(shared_);
    filters->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(filters);
    layout->addWidget(view_, 1);
    layout->addWidget(status_);
    status_->setWordWrap(true);
    status_->setText(tr("Reading the machine…"));
}

void MachineView::applyFilter() {
    sysmap::MapFilter filter;
    filterProblem_.clear();
    const auto pids = pidList(pids_->text());
    const auto tree = pidList(tree_->text());
    if (!pids || !tree)
        filterProblem_ = tr("A pid filter holds something that is not a process id; it is left "
                            "out until corrected.");
    if (pids)
        filter.pids = *pids;
    if (tree)
        filter.trees = *tree;
    if (port_->value() > 0)
        filter.port = std::uint16_t(port_->value());
    filter.shared = shared_->isChecked();
    model_->setFilter(std::move(filter));
    model_->refresh();
}

void MachineView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    timer_->start();
    model_->refresh();
}

void MachineView::hideEvent(QHideEvent* event) {
    QWidget::hideEvent(event);
    timer_->stop(); // nothing is read while nobody looks
}

} // namespace socklens::ui
