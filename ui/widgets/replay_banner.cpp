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
    , live_(new QPushButton(tr("Go &live"), this)) {
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
    layout->addWidget(live_);
    connect(live_, &QPushButton::clicked, this, &ReplayBanner::goLiveRequested);
    connect(&session_, &Session::replayMoved, this, &ReplayBanner::follow);
    connect(&session_, &Session::changed, this, &ReplayBanner::follow);
    follow();
}

QString ReplayBanner::text() const {
    return label_->text();
}

void ReplayBanner::follow() {
    setVisible(session_.replaying());
    if (!session_.replaying())
        return;
    label_->setText(tr("Replay: you are looking at the past, after entry %1 of %2. Every view "
                       "is read-only; commands wait until you go live.")
                        .arg(session_.visibleEntries().size())
                        .arg(session_.journal().entries().size()));
}

} // namespace socklens::ui
