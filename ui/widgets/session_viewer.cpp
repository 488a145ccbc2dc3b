#include "widgets/session_viewer.h"

#include "models/null_commands.h"
#include "models/session.h"
#include "widgets/main_window.h"
#include "widgets/message_bar.h"

#include <QFileInfo>

namespace socklens::ui {

SessionViewer::SessionViewer()
    : loaded_(std::make_unique<Session>())
    , commands_(std::make_unique<NullCommands>()) {}

SessionViewer::~SessionViewer() {
    window_.reset(); // its models refer to the session and the commands
}

SessionViewer* SessionViewer::open(const LoadedSession& loaded, const QString& path) {
    auto* viewer = new SessionViewer;
    viewer->window_ = std::make_unique<MainWindow>(*viewer->loaded_, *viewer->commands_);
    MainWindow& window = *viewer->window_;
    window.setReadOnly(loaded.header, QFileInfo(path).fileName());
    viewer->loaded_->append(loaded.entries);
    if (!loaded.complete())
        window.messageBar().showError(QString::fromStdString(loaded.error));
    window.setAttribute(Qt::WA_DeleteOnClose, false);
    connect(&window, &MainWindow::closed, viewer, &QObject::deleteLater);
    window.show();
    return viewer;
}

} // namespace socklens::ui
