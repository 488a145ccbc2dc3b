// Colours that read on the desktop's palette, light or dark: the app sets no palette of its
// own, so whatever the platform theme gives (a dark desktop gives a dark one) is what our
// highlights and plots must suit.
#pragma once

#include <QColor>
#include <QPalette>

namespace socklens::ui {

/// A dark palette: light text on a dark `background` (the base of views by default; a
/// label on a pane or window sits on QPalette::Window).
inline bool isDark(const QPalette& palette, QPalette::ColorRole background = QPalette::Base) {
    return palette.color(background).lightness() < 128;
}

/// The background of rows that belong to the selected socket: amber, pale on a light base
/// and deep on a dark one, so the palette's text colour reads on it either way.
inline QColor selectedSocketBackground(const QPalette& palette) {
    return isDark(palette) ? QColor(80, 60, 15) : QColor(255, 236, 179);
}

/// Red for failures, legible on either base.
inline QColor alarmText(const QPalette& palette, QPalette::ColorRole background = QPalette::Base) {
    return isDark(palette, background) ? QColor(255, 110, 100) : QColor(198, 40, 40);
}

/// Green for "alive", "passed": deep on a light background, pale on a dark one.
inline QColor okText(const QPalette& palette, QPalette::ColorRole background = QPalette::Base) {
    return isDark(palette, background) ? QColor(129, 199, 132) : QColor(27, 94, 32);
}

} // namespace socklens::ui
