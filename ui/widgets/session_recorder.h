// Records the app's live session to a file as it grows: every batch the GUI receives is
// written and flushed, so a kill -9 loses at most the batch in flight (under one tick).
// Files go to the app's data folder, sessions/; the newest kKeep are kept.
#pragma once

#include "model/session_writer.h"

#include <QObject>
#include <QString>
#include <memory>

namespace socklens::ui {

class Session;

class SessionRecorder : public QObject {
    Q_OBJECT
public:
    static constexpr int kKeep = 20;

    /// Starts a new file in `folder` (created if missing). Throws std::runtime_error.
    SessionRecorder(const Session& session, const QString& folder, QObject* parent = nullptr);
    ~SessionRecorder() override;

    QString path() const { return path_; }
    /// The folder recordings go to by default: $XDG_DATA_HOME/socklens/sessions.
    static QString defaultFolder();

Q_SIGNALS:
    /// Writing failed (disk full, file removed); recording has stopped.
    void failed(const QString& sentence);

private:
    void write(int first, int count);

    const Session& session_;
    QString path_;
    std::unique_ptr<SessionWriter> writer_;
};

} // namespace socklens::ui
