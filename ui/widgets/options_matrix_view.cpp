#include "widgets/options_matrix_view.h"

#include "models/options_matrix_model.h"

#include <QHeaderView>
#include <QPainter>
#include <QStyledItemDelegate>

namespace socklens::ui {

namespace {

constexpr qint64 kFlashMs = 1200;

class FlashDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override {
        const qint64 age = index.data(OptionsMatrixModel::FlashRole).toLongLong();
        if (age >= 0 && age < kFlashMs) {
            QColor flash(255, 193, 7);
            flash.setAlphaF(0.85 * (1.0 - double(age) / kFlashMs));
            painter->fillRect(option.rect, flash);
        }
        QStyledItemDelegate::paint(painter, option, index);
    }
};

} // namespace

OptionsMatrixView::OptionsMatrixView(OptionsMatrixModel& model, QWidget* parent)
    : QTableView(parent) {
    setModel(&model);
    setItemDelegate(new FlashDelegate(this));
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
                fading = age >= 0 && age < kFlashMs;
            }
        }
        if (!fading)
            fade_.stop();
    });
    connect(&model, &QAbstractItemModel::dataChanged, this, [this] { fade_.start(); });
}

} // namespace socklens::ui
