// A session file opened read-only in a window of its own. Its views read the loaded
// session; its commands are NullCommands, so no gesture can change what was loaded and no
// broker runs behind it. Closing the window ends the viewer.
#pragma once

#include "model/session_reader.h"

#include <QObject>
#include <memory>

namespace socklens::ui {

class NullCommands;
class MainWindow;
class Session;

class SessionViewer : public QObject {
    Q_OBJECT
public:
    /// Shows `loaded` (its valid part; its error in the message bar). Deletes itself when
    /// the window closes.
    static SessionViewer* open(const LoadedSession& loaded, const QString& path);
    ~SessionViewer() override;

    MainWindow& window() { return *window_; }
    const Session& session() const { return *loaded_; }

private:
    SessionViewer();

    std::unique_ptr<Session> loaded_;
    std::unique_ptr<NullCommands> commands_;
    std::unique_ptr<MainWindow> window_;
};

} // namespace socklens::ui
