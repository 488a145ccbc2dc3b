// Every action of the main window — menus, toolbar, shortcuts and the descriptor context
// menu — and what each one asks the engine to do.
#pragma once

#include "model/ids.h"
#include "model/socket_vocabulary.h"

#include <QObject>

class QAction;
class QMenu;
class QPoint;

namespace socklens::ui {

class MainWindow;
class ProcessesModel;

class MainActions : public QObject {
    Q_OBJECT
public:
    MainActions(MainWindow& window, ProcessesModel& processes);

    void showDescriptorMenu(const DescriptorRef& descriptor, const QPoint& globalPosition);
    void runScenarioDialog();
    void saveSessionDialog();
    void exportReportDialog();

private:
    void buildMenus();
    QAction* action(const QString& text, const QKeySequence& shortcut, void (MainActions::*slot)());
    void fillProcessMenu(QMenu* menu, bool handOff);
    void refreshEnabled();
    QString nextHelperName() const;
    void newHelper();
    void newWinsockHelper();
    void endWinsockProgress();
    void killHelper();
    void send();
    void receive();
    void close();
    void probe();
    void registerMask(EventMask mask);
    void setTickRate(int hertz);

    MainWindow& window_;
    ProcessesModel& processes_;
    QList<QAction*> descriptorActions_; ///< enabled only when a descriptor is current
    QMenu* duplicateMenu_ = nullptr;
    QMenu* handOffMenu_ = nullptr;
    QMenu* registerMenu_ = nullptr;
    QString startingWinsockHelper_; ///< its name while the status bar says it is starting
};

} // namespace socklens::ui
