#include "widgets/details_dialog.h"

#include "models/session.h"
#include "widgets/caption.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QScrollArea>
#include <QTableWidget>
#include <QVBoxLayout>

namespace socklens::ui {

namespace {

/// A read-only table as tall as its rows, so the dialog scrolls as one page.
QTableWidget* tableOf(const DetailSection& section, QWidget* parent) {
    auto* table = new QTableWidget(int(section.rows.size()), int(section.headers.size()), parent);
    table->setAccessibleName(section.title);
    table->setHorizontalHeaderLabels(section.headers);
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setTabKeyNavigation(false);
    table->setWordWrap(false);
    for (int row = 0; row < int(section.rows.size()); ++row) {
        const QStringList& cells = section.rows[std::size_t(row)];
        for (int column = 0; column < cells.size(); ++column) {
            auto* item = new QTableWidgetItem(cells[column]);
            item->setToolTip(cells[column]); // a long command line stays readable
            table->setItem(row, column, item);
        }
    }
    table->resizeColumnsToContents();
    table->horizontalHeader()->setStretchLastSection(true);
    table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    table->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    return table;
}

} // namespace

DetailsDialog::DetailsDialog(const QString& title, const DetailSheet& sheet, QWidget* parent)
    : QDialog(parent) {
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(title);
    auto* page = new QWidget;
    auto* pageLayout = new QVBoxLayout(page);
    for (const DetailSection& section : sheet) {
        pageLayout->addWidget(caption(section.title, page));
        if (section.rows.empty())
            pageLayout->addWidget(new QLabel(section.empty, page));
        else
            pageLayout->addWidget(tableOf(section, page));
    }
    pageLayout->addStretch(1);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(page);
    scroll->setWidgetResizable(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(scroll);
    layout->addWidget(buttons);
    resize(820, 640);
}

DetailsDialog* showSocketProperties(const Session& session, SocketId socket, QWidget* parent) {
    const DetailSheet sheet = socketDetails(session.state(), socket);
    if (sheet.empty())
        return nullptr;
    auto* dialog = new DetailsDialog(
        DetailsDialog::tr("S%1 — socket properties").arg(socket.value()), sheet, parent);
    dialog->setObjectName(QStringLiteral("socketProperties"));
    dialog->show();
    return dialog;
}

DetailsDialog* showProcessDetails(const Session& session, ProcessId process, QWidget* parent) {
    const ProcessState* state = session.state().process(process);
    if (!state)
        return nullptr;
    auto* dialog = new DetailsDialog(
        DetailsDialog::tr("%1 (pid %2) — process details")
            .arg(QString::fromStdString(state->name))
            .arg(state->pid.value()),
        processDetails(session.state(), process, readProcessOsFacts(*state)), parent);
    dialog->setObjectName(QStringLiteral("processDetails"));
    dialog->show();
    return dialog;
}

} // namespace socklens::ui
