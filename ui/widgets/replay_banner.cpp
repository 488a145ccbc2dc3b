#include "widgets/replay_banner.h"

#include "models/session.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace socklens::ui {

ReplayBanner::ReplayBanner(const Session& session, QWidget* parent)
    : QFrame(parent)
    , session_(session)
    , label_(new QLabel(this))
    , live_(new QPushButton(tr("Go &live"), this))
    , doIt_(new QPushButton(this)) {
    setObjectName(QStringLiteral("replayBanner"));
    setAccessibleName(tr("Replay banner"));
    // Amber on both light and dark palettes: the colour of "not now".
    setStyleSheet(QStringLiteral("#replayBanner { background: #ffb300; border-radius: 4px; } "
                                 "#replayBanner QLabel { color: #1a1a1a; font-weight: bold; }"));
    label_->setWordWrap(true);
    live_->setToolTip(tr("Back to the live end of the session (Alt+End)"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(label_, 1);
    layout->addWidget(doIt_);
    layout->addWidget(live_);
    doIt_->setObjectName(QStringLiteral("goLiveAndDoIt"));
    doIt_->hide();
    connect(live_, &QPushButton::clicked, this, &ReplayBanner::goLiveRequested);
    connect(doIt_, &QPushButton::clicked, this, [this] {
        const std::function<void()> perform = perform_;
        Q_EMIT goLiveRequested(); // live at once: the views show the present again
        withdraw();
        if (perform && !session_.replaying())
            perform();
    });
    connect(&session_, &Session::replayMoved, this, &ReplayBanner::follow);
    connect(&session_, &Session::changed, this, &ReplayBanner::follow);
    follow();
}

QString ReplayBanner::text() const {
    return label_->text();
}

void ReplayBanner::offer(const QString& action, const std::function<void()>& perform) {
    perform_ = perform;
    doIt_->setText(action);
    doIt_->setToolTip(tr("Leaves replay for the live end of the session, then does it"));
    // Not focused: keys still being typed into the refused cell must not press it.
    doIt_->show();
}

QString ReplayBanner::offered() const {
    return perform_ ? doIt_->text() : QString();
}

void ReplayBanner::withdraw() {
    perform_ = nullptr;
    doIt_->hide();
}

void ReplayBanner::follow() {
    setVisible(session_.replaying());
    if (!session_.replaying()) {
        withdraw();
        return;
    }
    label_->setText(tr("Replay: you are looking at the past, after entry %1 of %2. Every view "
                       "is read-only; commands wait until you go live.")
                        .arg(session_.visibleEntries().size())
                        .arg(session_.journal().entries().size()));
}

} // namespace socklens::ui
