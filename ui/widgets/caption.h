// The bold, wrapping label that titles each area of the main window.
#pragma once

#include <QLabel>

namespace socklens::ui {

inline QLabel* caption(const QString& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    label->setWordWrap(true);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

} // namespace socklens::ui
