#include "widgets/style_roles_delegate.h"

#include "models/style_roles.h"

namespace socklens::ui {

void StyleRolesDelegate::initStyleOption(QStyleOptionViewItem* option,
                                         const QModelIndex& index) const {
    QStyledItemDelegate::initStyleOption(option, index);
    if (index.data(HighlightedRole).toBool())
        option->backgroundBrush = QColor(255, 236, 179); // the selected socket, in every pane
    if (index.data(DimmedRole).toBool())
        option->palette.setColor(QPalette::Text, QColor(Qt::gray));
    if (index.data(AlarmRole).toBool() && !index.data(DimmedRole).toBool())
        option->palette.setColor(QPalette::Text, QColor(229, 57, 53)); // reads on dark too
    if (index.data(EmphasizedRole).toBool())
        option->font.setBold(true);
}

} // namespace socklens::ui
