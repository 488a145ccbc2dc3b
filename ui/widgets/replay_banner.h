// A coloured bar over the views while they show the past (replay), so nobody mistakes an
// earlier state for the present: it says which entry is shown, that nothing can be changed,
// and offers the way back to live — or, after an edit the past refused, to go live and do it.
#pragma once

#include <QFrame>
#include <functional>

class QLabel;
class QPushButton;

namespace socklens::ui {

class Session;

class ReplayBanner : public QFrame {
    Q_OBJECT
public:
    explicit ReplayBanner(const Session& session, QWidget* parent = nullptr);

    QString text() const;
    /// Shows a button named `action` ("Go live and set SO_RCVBUF through A:5") that goes live
    /// and then calls `perform`. One offer at a time; going live any way withdraws it.
    void offer(const QString& action, const std::function<void()>& perform);
    /// The offered action's button text; empty when there is none.
    QString offered() const;

Q_SIGNALS:
    void goLiveRequested();

private:
    void follow();
    void withdraw();

    const Session& session_;
    QLabel* label_;
    QPushButton* live_;
    QPushButton* doIt_;
    std::function<void()> perform_;
};

} // namespace socklens::ui
