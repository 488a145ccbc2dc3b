// Turns the models' style roles (highlighted, dimmed, emphasised) into colours and fonts.
#pragma once

#include <QStyledItemDelegate>

namespace socklens::ui {

class StyleRolesDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;
};

} // namespace socklens::ui
