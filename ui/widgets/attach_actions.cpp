#include "widgets/attach_actions.h"

#include "models/commands.h"
#include "widgets/attach_dialog.h"
#include "widgets/machine_view.h"
#include "widgets/main_window.h"

#include <QAction>
#include <QDockWidget>
#include <QMenu>
#include <QStatusBar>

namespace socklens::ui {

QAction* addAttachAction(MainWindow& window, QMenu& session) {
    QAction* attach = session.addAction(QObject::tr("&Attach to process…"));
    attach->setObjectName(QStringLiteral("attachAction"));
    attach->setShortcut(QKeySequence(QObject::tr("Ctrl+Shift+A")));
    attach->setToolTip(QObject::tr("Observe a running program read-only: a process, its tree, "
                                   "or every holder of a port (Ctrl+Shift+A)"));
    window.addAction(attach);
    QObject::connect(attach, &QAction::triggered, &window, [&window] {
        AttachDialog dialog(&window);
        if (dialog.exec() != QDialog::Accepted)
            return;
        if (const auto target = dialog.target())
            window.commands().attach(*target);
    });
    // The reason for a refusal where the user looks after a drag: the status bar too.
    QObject::connect(
        &window.commands(), &Commands::refused, &window,
        [&window](const QString& sentence) { window.statusBar()->showMessage(sentence, 10000); });
    return attach;
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
