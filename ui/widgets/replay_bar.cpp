#include "widgets/replay_bar.h"

#include "models/session.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QStyle>
#include <QToolButton>
#include <algorithm>

namespace socklens::ui {

namespace {
constexpr int kPlaybackTickMs = 30;
} // namespace

ReplayBar::ReplayBar(Session& session, QWidget* parent)
    : QWidget(parent)
    , session_(session)
    , slider_(new QSlider(Qt::Horizontal, this))
    , play_(new QToolButton(this))
    , speed_(new QComboBox(this))
    , live_(new QToolButton(this))
    , position_(new QLabel(this)) {
    play_->setToolTip(tr("Play the session from here (F5)"));
    play_->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    speed_->addItem(tr("1×"), 1);
    speed_->addItem(tr("10×"), 10);
    speed_->setToolTip(tr("Playback speed, relative to the time the session took"));
    live_->setText(tr("Live"));
    live_->setToolTip(tr("Back to the live end of the session (Alt+End)"));
    slider_->setToolTip(tr("Scrub through the journal: every view shows the session as it was "
                           "after that entry (Alt+Left / Alt+Right step one entry)"));
    slider_->setAccessibleName(tr("Replay position"));
    play_->setAccessibleName(tr("Play or pause the replay"));
    speed_->setAccessibleName(tr("Playback speed"));
    live_->setAccessibleName(tr("Back to live"));
    position_->setMinimumWidth(position_->fontMetrics().horizontalAdvance(
        QStringLiteral("replay: entry 0000000 of 0000000, +00000.000 s")));

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    layout->addWidget(new QLabel(tr("Time:"), this));
    layout->addWidget(play_);
    layout->addWidget(speed_);
    layout->addWidget(slider_, 1);
    layout->addWidget(live_);
    layout->addWidget(position_);

    connect(slider_, &QSlider::valueChanged, this, &ReplayBar::onSliderMoved);
    connect(play_, &QToolButton::clicked, this, &ReplayBar::togglePlaying);
    connect(live_, &QToolButton::clicked, this, &ReplayBar::goLive);
    connect(speed_, &QComboBox::currentIndexChanged, this,
            [this] { setSpeed(speed_->currentData().toInt()); });
    connect(&playTimer_, &QTimer::timeout, this, &ReplayBar::advancePlayback);
    playTimer_.setInterval(kPlaybackTickMs);
    connect(&session_, &Session::changed, this, [this] { showPosition(); });
    connect(&session_, &Session::replayMoved, this, [this] { showPosition(); });
    showPosition();
}

void ReplayBar::onSliderMoved(int position) {
    if (position >= slider_->maximum())
        session_.returnToLive();
    else
        session_.replayTo(position);
    if (playing()) { // a drag while playing plays on from where it was dropped
        playStartUs_ =
            session_.visibleEntries().empty() ? 0 : session_.visibleEntries().back().timeUs;
        playClock_.start();
    }
}

void ReplayBar::togglePlaying() {
    if (playing()) {
        playTimer_.stop();
    } else {
        if (!session_.replaying()) // playing from the live end starts at the beginning
            session_.replayTo(0);
        const auto visible = session_.visibleEntries();
        playStartUs_ = visible.empty() ? (session_.journal().entries().empty()
                                              ? 0
                                              : session_.journal().entries().front().timeUs)
                                       : visible.back().timeUs;
        playClock_.start();
        playTimer_.start();
    }
    showPosition();
}

void ReplayBar::setSpeed(int factor) {
    if (playing()) { // keep the position, change the pace from here
        const auto visible = session_.visibleEntries();
        playStartUs_ = visible.empty() ? playStartUs_ : visible.back().timeUs;
        playClock_.start();
    }
    speedFactor_ = factor;
    const int index = speed_->findData(factor);
    if (index >= 0 && index != speed_->currentIndex())
        speed_->setCurrentIndex(index);
}

void ReplayBar::stepBy(int entries) {
    const int from = session_.replaying() ? int(session_.visibleEntries().size())
                                          : int(session_.journal().entries().size());
    const int to = from + entries;
    if (to >= int(session_.journal().entries().size()))
        session_.returnToLive();
    else
        session_.replayTo(std::max(to, 0));
}

void ReplayBar::setRecorded(bool recorded) {
    recorded_ = recorded;
    live_->setText(recorded ? tr("End") : tr("Live"));
    live_->setToolTip(recorded ? tr("To the end of the recording (Alt+End)")
                               : tr("Back to the live end of the session (Alt+End)"));
    showPosition();
}

QString ReplayBar::positionText() const {
    return position_->text();
}

void ReplayBar::goLive() {
    playTimer_.stop();
    session_.returnToLive();
    showPosition();
}

void ReplayBar::advancePlayback() {
    const std::int64_t nowUs = playStartUs_ + playClock_.elapsed() * 1000 * speedFactor_;
    const int count = entriesUpTo(nowUs);
    if (count >= int(session_.journal().entries().size())) {
        goLive(); // caught up with the present
        return;
    }
    session_.replayTo(std::max(count, int(session_.visibleEntries().size())));
}

int ReplayBar::entriesUpTo(std::int64_t timeUs) const {
    const auto& entries = session_.journal().entries();
    return int(std::upper_bound(entries.begin(), entries.end(), timeUs,
                                [](std::int64_t time, const JournalEntry& entry) {
                                    return time < entry.timeUs;
                                }) -
               entries.begin());
}

void ReplayBar::showPosition() {
    const int total = int(session_.journal().entries().size());
    const auto visible = session_.visibleEntries();
    {
        const QSignalBlocker blocker(slider_); // following the session is not a user's move
        slider_->setMaximum(total);
        slider_->setValue(int(visible.size()));
    }
    play_->setIcon(style()->standardIcon(playing() ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    live_->setEnabled(session_.replaying());
    const double seconds =
        visible.empty() || total == 0
            ? 0
            : double(visible.back().timeUs - session_.journal().entries().front().timeUs) / 1e6;
    position_->setText(session_.replaying() ? tr("replay: entry %1 of %2, +%3 s")
                                                  .arg(visible.size())
                                                  .arg(total)
                                                  .arg(seconds, 0, 'f', 3)
                       : recorded_
                           ? tr("recorded: %1 entries, +%2 s").arg(total).arg(seconds, 0, 'f', 3)
                           : tr("live: %1 entries, +%2 s").arg(total).arg(seconds, 0, 'f', 3));
}

} // namespace socklens::ui
