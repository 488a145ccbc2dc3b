// Where the keyboard is: a table, list or text view with the focus gets a frame in the
// palette's highlight colour, in every window that asks for it (stylesheets cascade to the
// panes and views added later).
#pragma once

#include <QWidget>

namespace socklens::ui {

inline void showFocusFrames(QWidget& window) {
    window.setStyleSheet(window.styleSheet() +
                         QStringLiteral("QAbstractItemView:focus, QPlainTextEdit:focus, "
                                        "QTextBrowser:focus { border: 2px solid "
                                        "palette(highlight); }"));
}

} // namespace socklens::ui
