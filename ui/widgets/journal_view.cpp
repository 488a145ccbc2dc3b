#include "widgets/journal_view.h"

#include "models/journal_model.h"
#include "widgets/style_roles_delegate.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>

namespace socklens::ui {

JournalView::JournalView(JournalModel& model, QWidget* parent)
    : QWidget(parent)
    , proxy_(new JournalFilterProxy(this))
    , view_(new QTableView(this)) {
    proxy_->setSourceModel(&model);
    auto* filter = new QLineEdit(this);
    filter->setPlaceholderText(tr("Filter the journal (Ctrl+F)…"));
    filter->setClearButtonEnabled(true);
    auto* find = new QAction(this);
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, filter, [filter] { filter->setFocus(); });
    addAction(find);
    auto* observations = new QCheckBox(tr("Show observations"), this);
    observations->setChecked(true);
    connect(filter, &QLineEdit::textChanged, proxy_, &QSortFilterProxyModel::setFilterFixedString);
    connect(observations, &QCheckBox::toggled, proxy_, &JournalFilterProxy::setShowObservations);

    view_->setModel(proxy_);
    view_->verticalHeader()->hide();
    view_->horizontalHeader()->setStretchLastSection(true);
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setColumnWidth(JournalModel::SequenceColumn, 50);
    view_->setColumnWidth(JournalModel::TimeColumn, 70);
    view_->setColumnWidth(JournalModel::CategoryColumn, 90);
    view_->setFont(QFont(QStringLiteral("monospace")));
    // Follow new entries while the view is scrolled to the bottom.
    connect(proxy_, &QAbstractItemModel::rowsInserted, this, [this] {
        QScrollBar* bar = view_->verticalScrollBar();
        if (bar->value() >= bar->maximum() - 30)
            view_->scrollToBottom();
    });
    view_->setItemDelegate(new StyleRolesDelegate(view_));
    view_->setTabKeyNavigation(false);
    view_->setAccessibleName(tr("Journal"));
    connect(view_, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        Q_EMIT seekRequested(proxy_->mapToSource(index).row() + 1);
    });
    connect(view_, &QTableView::clicked, this, [this](const QModelIndex& index) {
        if (const uint socket = index.data(JournalModel::SocketRole).toUInt())
            Q_EMIT socketNamed(SocketId(socket));
        if (const uint duplication = index.data(JournalModel::DuplicationRole).toUInt())
            Q_EMIT duplicationNamed(DuplicationId(duplication));
    });

    auto* bar = new QHBoxLayout;
    bar->addWidget(filter, 1);
    bar->addWidget(observations);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(view_);
}

} // namespace socklens::ui
