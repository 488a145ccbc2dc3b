// The main window: process panes on top; sockets and the options matrix in the middle;
// timeline, counts, handoff sequence and journal below. It wires selection between views;
// the actions live in MainActions.
#pragma once

#include "model/ids.h"
#include "model/session_format.h"

#include <QMainWindow>
#include <optional>

class QSplitter;
class QTableView;
class QTabWidget;
class QLabel;

namespace socklens::ui {

struct ChangeSet;
class CountPlot;
class DescriptorsModel;
class Commands;
class HandoffStepsModel;
class HandoffView;
class JournalModel;
class MainActions;
class MessageBar;
class OptionsMatrixModel;
class PanesArea;
class ProcessesModel;
class RegistrationTimelinePlot;
class ReplayBanner;
class ReplayBar;
class Session;
class SocketsFilterProxy;
class SocketsModel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    MainWindow(Session& session, Commands& commands, QWidget* parent = nullptr);
    ~MainWindow() override;

    /// The descriptor the actions apply to: the current row of the focused pane.
    std::optional<DescriptorRef> currentDescriptor() const;
    SocketId selectedSocket() const { return selectedSocket_; }
    /// The process new sockets go into: the pane last clicked, else the first live helper.
    ProcessId currentProcess() const;

    void selectSocket(SocketId socket);
    void selectDuplication(DuplicationId duplication);
    /// Brings the lower view `name` (timeline, counts, handoff, journal) to the front.
    bool showView(const QString& name);
    /// Shows a session opened from the file `name`: no gesture reaches the engine.
    void setReadOnly(const SessionHeader& header, const QString& name);
    bool readOnly() const { return readOnly_; }
    MainActions& actions() { return *actions_; }

    Session& session() { return session_; }
    Commands& commands() { return commands_; }
    DescriptorsModel& descriptors() { return *descriptors_; }
    OptionsMatrixModel& optionsMatrix() { return *options_; }
    MessageBar& messageBar() { return *messageBar_; }
    PanesArea& panes() { return *panes_; }
    ReplayBar& replayBar() { return *replayBar_; }
    ReplayBanner& replayBanner() { return *replayBanner_; }

Q_SIGNALS:
    void closed();
    /// The current descriptor, process or socket changed: what the actions apply to.
    void currentChanged();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    QWidget* buildSocketsAndOptions();
    QWidget* buildLowerTabs();
    void onDescriptorActivated(const DescriptorRef& descriptor);
    void highlightCurrentPane();
    void reportLatestFact(const ChangeSet& changes, int first, int count);
    void restoreSettings();

    Session& session_;
    Commands& commands_;
    DescriptorsModel* descriptors_;
    ProcessesModel* processes_;
    SocketsModel* sockets_;
    OptionsMatrixModel* options_;
    HandoffStepsModel* handoff_;
    JournalModel* journal_;
    MessageBar* messageBar_;
    PanesArea* panes_;
    ReplayBar* replayBar_;
    ReplayBanner* replayBanner_;
    QTableView* socketsView_ = nullptr;
    SocketsFilterProxy* socketsShown_ = nullptr;
    QLabel* optionsCaption_ = nullptr;
    HandoffView* handoffView_ = nullptr;
    QTabWidget* lowerTabs_ = nullptr;
    RegistrationTimelinePlot* timeline_ = nullptr;
    CountPlot* counts_ = nullptr;
    QSplitter* vertical_ = nullptr;
    QSplitter* middle_ = nullptr;
    MainActions* actions_ = nullptr;
    SocketId selectedSocket_;
    std::optional<DescriptorRef> current_;
    ProcessId currentProcess_;
    bool readOnly_ = false;
};

} // namespace socklens::ui
