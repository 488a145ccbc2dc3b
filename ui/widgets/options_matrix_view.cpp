#include "widgets/options_matrix_view.h"

#include "models/options_matrix_model.h"
#include "models/text.h"
#include "widgets/option_cell_delegate.h"

#include <QHeaderView>

namespace socklens::ui {

OptionsMatrixView::OptionsMatrixView(OptionsMatrixModel& model, QWidget* parent)
    : QTableView(parent)
    , model_(model) {
    setObjectName(QStringLiteral("optionsMatrix"));
    setAccessibleName(tr("Options matrix"));
    setTabKeyNavigation(false); // Tab leaves the table; arrows move between cells
    setModel(&model);
    setItemDelegate(new OptionCellDelegate(this));
    setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                    QAbstractItemView::AnyKeyPressed);
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    setToolTip(tr("Each cell is getsockopt through that row's descriptor. Edit a cell to "
                  "setsockopt through it; the others are read again and flash when they change."));
    fade_.setInterval(40);
    connect(&fade_, &QTimer::timeout, this, [this] {
        viewport()->update();
        bool fading = false;
        const QAbstractItemModel* m = this->model();
        for (int row = 0; row < m->rowCount() && !fading; ++row) {
            for (int column = 0; column < m->columnCount() && !fading; ++column) {
                const qint64 age =
                    m->index(row, column).data(OptionsMatrixModel::FlashRole).toLongLong();
                fading = age >= 0 && age < OptionCellDelegate::kFlashMs;
            }
        }
        if (!fading)
            fade_.stop();
    });
    connect(&model, &QAbstractItemModel::dataChanged, this, [this] { fade_.start(); });
}

bool OptionsMatrixView::edit(const QModelIndex& index, EditTrigger trigger, QEvent* event) {
    if (QTableView::edit(index, trigger, event))
        return true;
    // Only a user's edit (double-click, F2, typing) that replay alone refused.
    if (!index.isValid() || !(editTriggers() & trigger) || !model_.waitsForLive(index))
        return false;
    const DescriptorRef descriptor = model_.keyAt(index.row());
    const SocketOption option = model_.optionAt(index.column());
    const QString name = model_.headerData(index.row(), Qt::Vertical, Qt::DisplayRole).toString();
    Q_EMIT editWaitsForLive(tr("Go live and set %1 through %2").arg(qs(toString(option)), name),
                            [this, descriptor, option, name] {
                                if (!editCell(descriptor, option))
                                    Q_EMIT model_.refused(
                                        tr("%1 is not open at the live end of the session; "
                                           "nothing was set")
                                            .arg(name));
                            });
    return false;
}

bool OptionsMatrixView::editCell(const DescriptorRef& descriptor, SocketOption option) {
    const int row = model_.rowOf(descriptor);
    for (int column = 0; row >= 0 && column < model_.columnCount(); ++column) {
        const QModelIndex cell = model_.index(row, column);
        if (model_.optionAt(column) != option || !(model_.flags(cell) & Qt::ItemIsEditable))
            continue;
        setFocus(Qt::OtherFocusReason);
        setCurrentIndex(cell);
        return QTableView::edit(cell, AllEditTriggers, nullptr);
    }
    return false;
}

} // namespace socklens::ui
