#include "widgets/journal_view.h"

#include "models/journal_model.h"
#include "widgets/style_roles_delegate.h"

#include <QCheckBox>
#include <QClipboard>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QScrollBar>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>
#include <limits>

namespace socklens::ui {

JournalView::JournalView(JournalModel& model, QWidget* parent)
    : QWidget(parent)
    , model_(model)
    , proxy_(new JournalFilterProxy(this))
    , view_(new QTableView(this))
    , filter_(new QLineEdit(this))
    , observations_(new QCheckBox(tr("Show observations"), this)) {
    proxy_->setSourceModel(&model);
    QLineEdit* filter = filter_;
    filter->setPlaceholderText(tr("Filter the journal (Ctrl+F)…"));
    filter->setClearButtonEnabled(true);
    auto* find = new QAction(this);
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, filter, [filter] { filter->setFocus(); });
    addAction(find);
    QCheckBox* observations = observations_;
    observations->setChecked(true);
    connect(filter, &QLineEdit::textChanged, proxy_, &QSortFilterProxyModel::setFilterFixedString);
    connect(observations, &QCheckBox::toggled, proxy_, &JournalFilterProxy::setShowObservations);

    view_->setModel(proxy_);
    view_->verticalHeader()->hide();
    view_->horizontalHeader()->setStretchLastSection(true);
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setFont(QFont(QStringLiteral("monospace")));
    fitColumns();
    // Follow new entries while the view is scrolled to the bottom.
    connect(proxy_, &QAbstractItemModel::rowsInserted, this, [this] {
        QScrollBar* bar = view_->verticalScrollBar();
        if (bar->value() >= bar->maximum() - 30)
            view_->scrollToBottom();
    });
    view_->setItemDelegate(new StyleRolesDelegate(view_));
    view_->setTabKeyNavigation(false);
    view_->setAccessibleName(tr("Journal"));
    view_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(view_, &QWidget::customContextMenuRequested, this, &JournalView::showMenu);
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

void JournalView::fitColumns() {
    // Measured once from the widest text each column can hold, not from the rows: a journal
    // of 64 000 entries must not be measured on every append.
    const QFontMetrics metrics(view_->font());
    const int margin = 2 * view_->style()->pixelMetric(QStyle::PM_FocusFrameHMargin) + 12;
    const auto fit = [&](int column, const QString& widest) {
        const int header =
            QFontMetrics(view_->horizontalHeader()->font())
                .horizontalAdvance(proxy_->headerData(column, Qt::Horizontal).toString());
        view_->setColumnWidth(column, std::max(metrics.horizontalAdvance(widest), header) + margin);
    };
    fit(JournalModel::SequenceColumn, QStringLiteral("0000000"));
    fit(JournalModel::TimeColumn, QStringLiteral("00000.000"));
    fit(JournalModel::CategoryColumn, QStringLiteral("observation"));
}

void JournalView::showMenu(const QPoint& at) {
    const QModelIndex index = view_->indexAt(at);
    if (!index.isValid())
        return;
    const int entries = proxy_->mapToSource(index).row() + 1;
    QMenu menu(this);
    menu.addAction(tr("&Replay to just after this entry"), this,
                   [this, entries] { Q_EMIT seekRequested(entries); });
    menu.addAction(tr("Return to &live"), this,
                   [this] { Q_EMIT seekRequested(std::numeric_limits<int>::max()); });
    menu.addSeparator();
    if (const uint socket = index.data(JournalModel::SocketRole).toUInt()) {
        menu.addAction(tr("S%1 &properties…").arg(socket), this,
                       [this, socket] { Q_EMIT socketPropertiesRequested(SocketId(socket)); });
    }
    if (const uint process = index.data(JournalModel::ProcessRole).toUInt()) {
        menu.addAction(tr("&Process details…"), this,
                       [this, process] { Q_EMIT processDetailsRequested(ProcessId(process)); });
    }
    menu.addAction(tr("&Copy entry"), this, [this, index] {
        QStringList cells;
        for (int column = 0; column < proxy_->columnCount(); ++column)
            cells << proxy_->index(index.row(), column).data().toString();
        QGuiApplication::clipboard()->setText(cells.join(u'\t'));
    });
    menu.exec(view_->viewport()->mapToGlobal(at));
}

bool JournalView::selectEntry(Sequence entry) {
    // Entries are numbered from 1 without gaps: entry n is row n - 1.
    const int row = int(entry.value()) - 1;
    if (!entry.valid() || row >= model_.rowCount())
        return false;
    QModelIndex shown = proxy_->mapFromSource(model_.index(row, JournalModel::TextColumn));
    if (!shown.isValid()) { // filtered out: show everything rather than nothing
        filter_->clear();
        observations_->setChecked(true);
        shown = proxy_->mapFromSource(model_.index(row, JournalModel::TextColumn));
    }
    view_->setCurrentIndex(shown);
    view_->scrollTo(shown, QAbstractItemView::PositionAtCenter);
    return shown.isValid();
}

Sequence JournalView::currentEntry() const {
    const QModelIndex current = view_->currentIndex();
    return current.isValid() ? Sequence(std::uint64_t(proxy_->mapToSource(current).row() + 1))
                             : Sequence();
}

} // namespace socklens::ui
