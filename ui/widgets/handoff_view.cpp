#include "widgets/handoff_view.h"

#include "models/handoff_steps_model.h"
#include "models/session.h"
#include "models/text.h"
#include "widgets/caption.h"
#include "widgets/style_roles_delegate.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace socklens::ui {

HandoffView::HandoffView(const Session& session, HandoffStepsModel& steps, QWidget* parent)
    : QWidget(parent)
    , session_(session)
    , steps_(steps)
    , caption_(caption(tr("Select a duplicated socket to see its handoff"), this))
    , table_(new QTableView(this))
    , detail_(new QPlainTextEdit(this)) {
    table_->setModel(&steps_);
    table_->setItemDelegate(new StyleRolesDelegate(table_));
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setColumnWidth(HandoffStepsModel::WhatColumn, 420);
    table_->setTabKeyNavigation(false);
    table_->setAccessibleName(tr("Handoff steps"));
    detail_->setAccessibleName(tr("What crossed in the selected step"));

    detail_->setReadOnly(true);
    detail_->setLineWrapMode(QPlainTextEdit::NoWrap);
    detail_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    detail_->setPlaceholderText(tr("Select a step to see what crossed in it"));

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(table_);
    split->addWidget(detail_);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(caption_);
    layout->addWidget(split, 1);

    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { showDetailOf(current.row()); });
    // A live duplication fills its steps in as they happen; the selected one may be among them.
    connect(&steps_, &QAbstractItemModel::dataChanged, this, [this] {
        if (table_->currentIndex().isValid())
            showDetailOf(table_->currentIndex().row());
        else
            selectRichestStep();
    });
}

void HandoffView::showDuplication(DuplicationId duplication) {
    const auto found = session_.state().duplications.find(duplication);
    if (found == session_.state().duplications.end())
        return;
    steps_.setDuplication(duplication);
    const DuplicationState& d = found->second;
    const ProcessState* from = session_.state().process(d.source.process);
    const ProcessState* to = session_.state().process(d.target);
    caption_->setText(tr("D%1: S%2 from %3:%4 to %5 by %6")
                          .arg(duplication.value())
                          .arg(d.socket.value())
                          .arg(from ? qs(from->name) : QStringLiteral("?"))
                          .arg(d.source.handle.value())
                          .arg(to ? qs(to->name) : QStringLiteral("?"), qs(toString(d.mechanism))));
    selectRichestStep();
}

void HandoffView::showDetailOf(int row) {
    if (row < 0 || row >= steps_.rowCount()) {
        detail_->clear();
        return;
    }
    const QString what = steps_.index(row, HandoffStepsModel::WhatColumn).data().toString();
    const QString crossed =
        steps_.index(row, HandoffStepsModel::DetailColumn).data(Qt::ToolTipRole).toString();
    detail_->setPlainText(tr("Step %1: %2\n\n%3").arg(row + 1).arg(what, crossed));
}

/// The step with the most to show (the protocol info on Winsock), so the bytes are in view.
void HandoffView::selectRichestStep() {
    int richest = -1;
    qsizetype longest = 0;
    for (int row = 0; row < steps_.rowCount(); ++row) {
        const qsizetype length =
            steps_.index(row, HandoffStepsModel::DetailColumn).data().toString().size();
        if (length > longest) {
            longest = length;
            richest = row;
        }
    }
    if (richest >= 0)
        table_->setCurrentIndex(steps_.index(richest, 0));
    else
        detail_->clear();
}

} // namespace socklens::ui
