#include "widgets/options_matrix_view.h"

#include "models/options_matrix_model.h"
#include "widgets/option_cell_delegate.h"

#include <QHeaderView>

namespace socklens::ui {

OptionsMatrixView::OptionsMatrixView(OptionsMatrixModel& model, QWidget* parent)
    : QTableView(parent) {
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

} // namespace socklens::ui
