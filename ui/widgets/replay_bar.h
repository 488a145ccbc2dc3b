// The time slider under the toolbar: scrub the session back to any journal entry, play it
// at 1× or 10× of the time it took, and return to live. Every view follows, because they
// all read the Session, which folds the journal up to the slider.
#pragma once

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QSlider;
class QToolButton;

namespace socklens::ui {

class Session;

class ReplayBar : public QWidget {
    Q_OBJECT
public:
    explicit ReplayBar(Session& session, QWidget* parent = nullptr);

    void togglePlaying();
    void stepBy(int entries);
    void goLive();
    bool playing() const { return playTimer_.isActive(); }
    /// 1 or 10: session time per real time while playing.
    void setSpeed(int factor);
    /// A session read from a file: its end is the end of the recording, not "live".
    void setRecorded(bool recorded);
    QString positionText() const;

private:
    void onSliderMoved(int position);
    void advancePlayback();
    void showPosition();
    /// The number of entries whose time is at or before `timeUs`.
    int entriesUpTo(std::int64_t timeUs) const;

    Session& session_;
    QSlider* slider_;
    QToolButton* play_;
    QComboBox* speed_;
    QToolButton* live_;
    QLabel* position_;
    QTimer playTimer_;
    QElapsedTimer playClock_;
    std::int64_t playStartUs_ = 0; ///< the session time playback (re)started from
    int speedFactor_ = 1;
    bool recorded_ = false;
};

} // namespace socklens::ui
