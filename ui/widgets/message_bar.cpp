#include "widgets/message_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

namespace socklens::ui {

MessageBar::MessageBar(QWidget* parent)
    : QFrame(parent)
    , label_(new QLabel(this)) {
    setAccessibleName(tr("Message"));
    setObjectName(QStringLiteral("messageBar"));
    setStyleSheet(QStringLiteral("#messageBar { background: #fdecea; border: 1px solid #f5c2c0; "
                                 "border-radius: 4px; } QLabel { color: #8a1f11; }"));
    auto* icon = new QLabel(this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(16, 16));
    label_->setWordWrap(true);
    label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* close = new QToolButton(this);
    close->setAutoRaise(true);
    close->setIcon(style()->standardIcon(QStyle::SP_DialogCloseButton));
    close->setToolTip(tr("Dismiss (Esc)"));
    close->setShortcut(QKeySequence(Qt::Key_Escape));
    connect(close, &QToolButton::clicked, this, [this] {
        recent_.clear();
        hide();
    });
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(icon);
    layout->addWidget(label_, 1);
    layout->addWidget(close);
    hide();
}

void MessageBar::showError(const QString& sentence) {
    recent_.prepend(sentence);
    while (recent_.size() > 3)
        recent_.removeLast();
    label_->setText(recent_.join(u'\n'));
    show();
}

QString MessageBar::text() const {
    return label_->text();
}

} // namespace socklens::ui
