#include "widgets/attach_actions.h"

#include "models/commands.h"
#include "models/descriptors_model.h"
#include "models/session.h"
#include "models/text.h"
#include "widgets/attach_dialog.h"
#include "widgets/machine_view.h"
#include "widgets/main_window.h"

#include <QAction>
#include <QDockWidget>
#include <QInputDialog>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QStatusBar>
#include <algorithm>
#include <optional>

namespace socklens::ui {

namespace {

/// Asks which attached process, then confirms, naming it; nullopt when the user declines.
std::optional<ProcessId> confirmDeepRead(MainWindow& window) {
    QStringList names;
    std::vector<ProcessId> ids;
    for (const auto& [id, process] : window.session().state().processes)
        if (process.foreign && process.alive) {
            names << QObject::tr("%1 (pid %2)").arg(qs(process.name)).arg(process.pid.value());
            ids.push_back(id);
        }
    if (ids.empty()) {
        window.statusBar()->showMessage(
            QObject::tr("No attached process to read: Session ▸ Attach to process… first"), 8000);
        return std::nullopt;
    }
    bool chosen = false;
    const QString name =
        QInputDialog::getItem(&window, QObject::tr("Deep read"), QObject::tr("Attached process:"),
                              names, 0, false, &chosen);
    if (!chosen)
        return std::nullopt;
    const ProcessId id = ids[std::size_t(names.indexOf(name))];
    const auto answer = QMessageBox::question(
        &window, QObject::tr("Deep read of %1").arg(name),
        QObject::tr("socklens will copy each socket descriptor of %1 into itself with "
                    "pidfd_getfd, read every option and the F_GETOWN_EX owner through the copy, "
                    "and close each copy at once. The copies are socklens's own and are not "
                    "counted; nothing in %1 changes. Go ahead?")
            .arg(name));
    return answer == QMessageBox::Yes ? std::optional(id) : std::nullopt;
}

/// Asks for the Wine prefix's programs when a Winsock helper runs to list them.
void listWindowsPrograms(MainWindow& window, AttachDialog& dialog) {
    const auto& processes = window.session().state().processes;
    if (std::none_of(processes.begin(), processes.end(), [](const auto& entry) {
            return entry.second.helper && entry.second.alive &&
                   entry.second.platform == Platform::WinsockWine;
        }))
        return; // the dialog says to start one
    dialog.windowsNote().setText(QObject::tr("Listing the Wine prefix's programs…"));
    QObject::connect(&window.commands(), &Commands::windowsProcessesListed, &dialog,
                     &AttachDialog::showWindowsProcesses);
    window.commands().listWindowsProcesses();
}

} // namespace

QList<QAction*> addAttachActions(MainWindow& window, QMenu& session) {
    QAction* attach = session.addAction(QObject::tr("&Attach to process…"));
    attach->setObjectName(QStringLiteral("attachAction"));
    attach->setShortcut(QKeySequence(QObject::tr("Ctrl+Shift+A")));
    attach->setToolTip(QObject::tr("Observe a running program read-only: a process, its tree, "
                                   "or every holder of a port (Ctrl+Shift+A)"));
    window.addAction(attach);
    QObject::connect(attach, &QAction::triggered, &window, [&window] {
        AttachDialog dialog(&window);
        listWindowsPrograms(window, dialog);
        if (dialog.exec() != QDialog::Accepted)
            return;
        if (const auto target = dialog.target())
            window.commands().attach(*target);
    });
    // The reason for a refusal where the user looks after a drag: the status bar too.
    QObject::connect(
        &window.commands(), &Commands::refused, &window,
        [&window](const QString& sentence) { window.statusBar()->showMessage(sentence, 10000); });
    window.descriptors().setConfirmation([&window](const QString& question) {
        return QMessageBox::question(&window, QObject::tr("Copy out of an attached process"),
                                     question) == QMessageBox::Yes;
    });
    QAction* deepRead = session.addAction(QObject::tr("&Deep read of an attached process…"));
    deepRead->setToolTip(QObject::tr("Read every option and the registration owner of an "
                                     "attached process's sockets through pidfd_getfd copies, "
                                     "after a confirmation"));
    QObject::connect(deepRead, &QAction::triggered, &window, [&window] {
        if (const std::optional<ProcessId> process = confirmDeepRead(window))
            window.commands().deepRead(*process);
    });
    return {attach, deepRead};
}

QAction* addMachineView(MainWindow& window, QMenu& view) {
    auto* dock = new QDockWidget(QObject::tr("Machine"), &window);
    dock->setObjectName(QStringLiteral("machineDock"));
    dock->setWidget(new MachineView(dock));
    window.addDockWidget(Qt::BottomDockWidgetArea, dock);
    dock->hide(); // read only while shown
    QAction* toggle = dock->toggleViewAction();
    toggle->setText(QObject::tr("&Machine"));
    toggle->setShortcut(QKeySequence(QObject::tr("Ctrl+Shift+M")));
    toggle->setToolTip(QObject::tr("Every socket of the machine and the processes holding it, "
                                   "refreshed every second (Ctrl+Shift+M)"));
    view.addAction(toggle);
    window.addAction(toggle);
    return toggle;
}

} // namespace socklens::ui
