#include "widgets/table_menus.h"

#include "models/session.h"
#include "models/sockets_model.h"
#include "models/text.h"
#include "widgets/details_dialog.h"
#include "widgets/journal_view.h"
#include "widgets/main_window.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QMenu>
#include <QSettings>
#include <QTableView>
#include <set>

namespace socklens::ui {

void installColumnChooser(QTableView& view, const QString& key) {
    QHeaderView* header = view.horizontalHeader();
    const QString setting = QStringLiteral("columns/%1/hidden").arg(key);
    const QStringList hidden = QSettings().value(setting).toStringList();
    QAbstractItemModel* model = view.model();
    for (int column = 0; column < model->columnCount(); ++column) {
        if (hidden.contains(model->headerData(column, Qt::Horizontal).toString()))
            view.setColumnHidden(column, true);
    }
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(
        header, &QWidget::customContextMenuRequested, &view,
        [&view, header, setting](const QPoint& at) {
            QMenu menu(&view);
            menu.setTitle(QHeaderView::tr("Columns"));
            QAbstractItemModel* model = view.model();
            const int columns = model->columnCount();
            for (int column = 0; column < columns; ++column) {
                QAction* a = menu.addAction(model->headerData(column, Qt::Horizontal).toString());
                a->setCheckable(true);
                a->setChecked(!view.isColumnHidden(column));
                // The last column shown cannot go: an empty table says nothing.
                a->setEnabled(view.isColumnHidden(column) ||
                              header->hiddenSectionCount() < columns - 1);
                QObject::connect(a, &QAction::toggled, &view, [&view, setting, column](bool shown) {
                    view.setColumnHidden(column, !shown);
                    QStringList names;
                    QAbstractItemModel* m = view.model();
                    for (int c = 0; c < m->columnCount(); ++c) {
                        if (view.isColumnHidden(c))
                            names << m->headerData(c, Qt::Horizontal).toString();
                    }
                    QSettings().setValue(setting, names);
                });
            }
            menu.exec(header->viewport()->mapToGlobal(at));
        });
}

TableMenus::TableMenus(MainWindow& window)
    : QObject(&window)
    , window_(window) {
    if (auto* sockets = window.findChild<QTableView*>(QStringLiteral("socketsTable"))) {
        installColumnChooser(*sockets, QStringLiteral("sockets"));
        sockets->setContextMenuPolicy(Qt::CustomContextMenu);
        connect(sockets, &QWidget::customContextMenuRequested, this,
                [this, sockets](const QPoint& at) {
                    const QModelIndex index = sockets->indexAt(at);
                    if (index.isValid())
                        showSocketMenu(SocketId(index.data(SocketsModel::SocketRole).toUInt()),
                                       sockets->viewport()->mapToGlobal(at));
                });
        connect(sockets, &QAbstractItemView::activated, this, [this](const QModelIndex& index) {
            showSocketProperties(window_.session(),
                                 SocketId(index.data(SocketsModel::SocketRole).toUInt()), &window_);
        });
    }
    if (auto* journal = window.findChild<JournalView*>(QStringLiteral("journal"))) {
        if (auto* table = journal->findChild<QTableView*>())
            installColumnChooser(*table, QStringLiteral("journal"));
        connect(journal, &JournalView::socketPropertiesRequested, this, [this](SocketId socket) {
            showSocketProperties(window_.session(), socket, &window_);
        });
        connect(journal, &JournalView::processDetailsRequested, this, [this](ProcessId process) {
            showProcessDetails(window_.session(), process, &window_);
        });
    }
}

void TableMenus::showSocketMenu(SocketId socket, const QPoint& globalPosition) {
    const State& state = window_.session().state();
    const SocketState* shown = state.socket(socket);
    if (!shown)
        return;
    window_.selectSocket(socket);
    QMenu menu(&window_);
    menu.addAction(tr("S%1 &properties…").arg(socket.value()), this,
                   [this, socket] { showSocketProperties(window_.session(), socket, &window_); });
    // Every process that holds (or held) a descriptor of it, once.
    std::set<ProcessId> holders;
    for (const auto& [ref, descriptor] : state.descriptors) {
        if (descriptor.socket == socket)
            holders.insert(ref.process);
    }
    QMenu* details = menu.addMenu(tr("Process &details"));
    for (const ProcessId process : holders) {
        const ProcessState* holder = state.process(process);
        const QString name = holder
                                 ? tr("%1 (pid %2)").arg(qs(holder->name)).arg(holder->pid.value())
                                 : QStringLiteral("P%1").arg(process.value());
        details->addAction(name + QStringLiteral("…"), this, [this, process] {
            showProcessDetails(window_.session(), process, &window_);
        });
    }
    details->setEnabled(!holders.empty());
    menu.addSeparator();
    const auto copy = [&](const QString& text, const std::string& value) {
        QAction* a = menu.addAction(text, this,
                                    [value] { QGuiApplication::clipboard()->setText(qs(value)); });
        a->setEnabled(!value.empty());
    };
    copy(tr("Copy &local address"), shown->local);
    copy(tr("Copy p&eer address"), shown->peer);
    menu.exec(globalPosition);
}

} // namespace socklens::ui
