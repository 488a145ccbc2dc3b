// Help ▸ Keyboard shortcuts (every action of a window that has one, read from the actions
// themselves, so the list cannot drift) and Help ▸ User guide (docs/user-guide.md, built
// into the program).
#pragma once

class QWidget;

namespace socklens::ui {

void showKeyboardShortcuts(QWidget* window);
void showUserGuide(QWidget* window);

} // namespace socklens::ui
