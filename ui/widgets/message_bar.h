// An inline bar above the panes for errors: the engine's sentence, dismissible, never modal.
#pragma once

#include <QFrame>

class QLabel;

namespace socklens::ui {

class MessageBar : public QFrame {
    Q_OBJECT
public:
    explicit MessageBar(QWidget* parent = nullptr);
    /// Shows `sentence`; several in a row are kept, the latest first.
    void showError(const QString& sentence);
    QString text() const;

private:
    QLabel* label_;
    QStringList recent_;
};

} // namespace socklens::ui
