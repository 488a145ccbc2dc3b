// Paints and edits a cell of the options matrix: a flash fading over a second when its value
// changed (C5), and an editor by the option's type — on/off as a choice, sizes and counts as
// a spin box in the OS's range, SO_LINGER as "off" or seconds.
#pragma once

#include <QStyledItemDelegate>

namespace socklens::ui {

class OptionCellDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    static constexpr qint64 kFlashMs = 1200;

    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option,
                          const QModelIndex& index) const override;
    void setEditorData(QWidget* editor, const QModelIndex& index) const override;
    void setModelData(QWidget* editor, QAbstractItemModel* model,
                      const QModelIndex& index) const override;
};

} // namespace socklens::ui
