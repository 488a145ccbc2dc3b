// Every action of the main window — menus, toolbar, shortcuts and the descriptor context
// menu — and what each one asks the engine to do.
#pragma once

#include "model/ids.h"
#include "model/session_format.h"
#include "model/socket_vocabulary.h"

#include <QObject>
#include <optional>
#include <vector>

class QAction;
class QMenu;
class QPoint;

namespace socklens::ui {

class MainWindow;
class ProcessPane;
class ProcessesModel;
class SessionRecorder;

class MainActions : public QObject {
    Q_OBJECT
public:
    MainActions(MainWindow& window, ProcessesModel& processes);

    void showDescriptorMenu(const DescriptorRef& descriptor, const QPoint& globalPosition);
    /// The menu of a pane's empty space: New socket here, Kill, Hide pane.
    void showPaneMenu(ProcessPane& pane, const QPoint& globalPosition);
    void runScenarioDialog();
    void saveSessionDialog();
    void openSessionDialog();
    /// Opens a session file read-only in a window of its own, and remembers it as recent.
    void openSession(const QString& path);
    void exportReportDialog();
    /// For a session opened from a file: nothing that commands the engine stays enabled,
    /// nothing is recorded, and reports name `header`'s platform.
    void setReadOnly(const SessionHeader& header);
    /// Where the live session is being recorded; empty before the first entry or when
    /// read-only.
    QString recordingPath() const;

private:
    void buildMenus();
    QAction* action(const QString& text, const QKeySequence& shortcut, void (MainActions::*slot)());
    void fillProcessMenu(QMenu* menu, bool handOff);
    /// What an action needs besides a live session to make sense.
    enum class Needs { Nothing, Descriptor, Process, Socket };
    /// `a` commands the session: enabled only live, and when what it `needs` is chosen;
    /// otherwise its tooltip says why.
    void gate(QAction* a, Needs needs);
    /// Why no command can run now (a recorded session, or replay), or nothing.
    std::optional<QString> whyCommandsWait() const;
    void refreshEnabled();
    QString nextHelperName() const;
    void newHelper();
    void newWinsockHelper();
    void endWinsockProgress();
    void killHelper();
    void startInheritingChild();
    void send();
    void receive();
    void close();
    void probe();
    void registerMask(EventMask mask);
    void setTickRate(int hertz);
    void startRecording();

    MainWindow& window_;
    ProcessesModel& processes_;
    struct Gated {
        QAction* action;
        Needs needs;
        QString tip; ///< the tooltip while it is enabled
    };
    std::vector<Gated> gated_;
    QList<QAction*> descriptorActions_; ///< in the descriptor context menu
    QMenu* tickMenu_ = nullptr;
    QMenu* createMenu_ = nullptr;
    QAction* killAction_ = nullptr;
    bool readOnly_ = false;
    SessionHeader header_ = currentSessionHeader();
    SessionRecorder* recorder_ = nullptr;
    bool recordingTried_ = false;
    QMenu* duplicateMenu_ = nullptr;
    QMenu* handOffMenu_ = nullptr;
    QMenu* registerMenu_ = nullptr;
    QString startingWinsockHelper_; ///< its name while the status bar says it is starting
};

} // namespace socklens::ui
