// A coloured bar over the views while they show the past (replay), so nobody mistakes an
// earlier state for the present: it says which entry is shown, that nothing can be changed,
// and offers the way back to live.
#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace socklens::ui {

class Session;

class ReplayBanner : public QFrame {
    Q_OBJECT
public:
    explicit ReplayBanner(const Session& session, QWidget* parent = nullptr);

    QString text() const;

Q_SIGNALS:
    void goLiveRequested();

private:
    void follow();

    const Session& session_;
    QLabel* label_;
    QPushButton* live_;
};

} // namespace socklens::ui
