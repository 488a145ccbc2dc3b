#include "widgets/option_cell_delegate.h"

#include "models/option_editing.h"
#include "models/options_matrix_model.h"

#include <QComboBox>
#include <QPainter>
#include <QSpinBox>

namespace socklens::ui {

namespace {

OptionEditing editingAt(const QModelIndex& index) {
    const auto* model = qobject_cast<const OptionsMatrixModel*>(index.model());
    return model ? optionEditing(model->optionAt(index.column()), model->platformAt(index.row()))
                 : OptionEditing{};
}

} // namespace

void OptionCellDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                               const QModelIndex& index) const {
    const qint64 age = index.data(OptionsMatrixModel::FlashRole).toLongLong();
    if (age >= 0 && age < kFlashMs) {
        QColor flash(255, 193, 7);
        flash.setAlphaF(0.85 * (1.0 - double(age) / kFlashMs));
        painter->fillRect(option.rect, flash);
    }
    QStyledItemDelegate::paint(painter, option, index);
}

QWidget* OptionCellDelegate::createEditor(QWidget* parent, const QStyleOptionViewItem&,
                                          const QModelIndex& index) const {
    const OptionEditing editing = editingAt(index);
    if (editing.editor == OptionEditor::Toggle) {
        auto* choice = new QComboBox(parent);
        choice->addItem(tr("off"), 0);
        choice->addItem(tr("on"), 1);
        choice->setAccessibleName(tr("Option value"));
        return choice;
    }
    // The spin box takes only numbers in range: text and negatives never reach the kernel.
    auto* number = new QSpinBox(parent);
    number->setRange(int(editing.minimum), int(editing.maximum));
    number->setSuffix(QLatin1Char(' ') + editing.unit);
    if (editing.editor == OptionEditor::LingerSeconds)
        number->setSpecialValueText(tr("off")); // the minimum, -1
    number->setAccessibleName(tr("Option value"));
    number->setToolTip(
        tr("%1 to %2 %3").arg(editing.minimum).arg(editing.maximum).arg(editing.unit));
    return number;
}

void OptionCellDelegate::setEditorData(QWidget* editor, const QModelIndex& index) const {
    const qint64 value = index.data(Qt::EditRole).toLongLong();
    if (auto* choice = qobject_cast<QComboBox*>(editor))
        choice->setCurrentIndex(value ? 1 : 0);
    else if (auto* number = qobject_cast<QSpinBox*>(editor))
        number->setValue(int(std::clamp<qint64>(value, number->minimum(), number->maximum())));
}

void OptionCellDelegate::setModelData(QWidget* editor, QAbstractItemModel* model,
                                      const QModelIndex& index) const {
    if (auto* choice = qobject_cast<QComboBox*>(editor))
        model->setData(index, choice->currentData(), Qt::EditRole);
    else if (auto* number = qobject_cast<QSpinBox*>(editor))
        model->setData(index, number->value(), Qt::EditRole);
}

} // namespace socklens::ui
