#include "widgets/style_roles_delegate.h"

#include "models/style_roles.h"
#include "widgets/palette_colors.h"

namespace socklens::ui {

void StyleRolesDelegate::initStyleOption(QStyleOptionViewItem* option,
                                         const QModelIndex& index) const {
    QStyledItemDelegate::initStyleOption(option, index);
    if (index.data(HighlightedRole).toBool())
        option->backgroundBrush = selectedSocketBackground(option->palette); // in every pane
    if (index.data(DimmedRole).toBool())
        option->palette.setColor(QPalette::Text, QColor(Qt::gray)); // mid grey: either base
    if (index.data(AlarmRole).toBool() && !index.data(DimmedRole).toBool())
        option->palette.setColor(QPalette::Text, alarmText(option->palette));
    if (index.data(EmphasizedRole).toBool())
        option->font.setBold(true);
}

} // namespace socklens::ui
