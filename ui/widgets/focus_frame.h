// Where the keyboard is: a table, list or text view with the focus gets a frame in the
// palette's highlight colour, in every window that asks for it (stylesheets cascade to the
// panes and views added later).
#pragma once

#include <QEvent>
#include <QWidget>

namespace socklens::ui {

/// Applies a window's style sheet again when the desktop's palette changes. Widgets under a
/// style sheet keep the palette they were polished with: Qt gives a new application palette
/// (the desktop turning dark) to the window only, and its panes stayed light.
class RepolishOnPaletteChange : public QObject {
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() == QEvent::ApplicationPaletteChange)
            if (auto* window = qobject_cast<QWidget*>(watched))
                window->setStyleSheet(window->styleSheet());
        return false;
    }
};

inline void showFocusFrames(QWidget& window) {
    window.setStyleSheet(window.styleSheet() +
                         QStringLiteral("QAbstractItemView:focus, QPlainTextEdit:focus, "
                                        "QTextBrowser:focus { border: 2px solid "
                                        "palette(highlight); }"));
    window.installEventFilter(new RepolishOnPaletteChange(&window));
}

} // namespace socklens::ui
