// The socket Properties and process details dialogs: a DetailSheet (models/details.h) shown as
// captioned tables in a window of its own, which stays open beside the main window.
#pragma once

#include "model/ids.h"
#include "models/details.h"

#include <QDialog>

namespace socklens::ui {

class Session;

class DetailsDialog : public QDialog {
    Q_OBJECT
public:
    DetailsDialog(const QString& title, const DetailSheet& sheet, QWidget* parent = nullptr);
};

/// Opens the Properties of `socket` (nullptr when the session does not know it).
DetailsDialog* showSocketProperties(const Session& session, SocketId socket, QWidget* parent);
/// Opens the details of `process`, with what /proc says of it now.
DetailsDialog* showProcessDetails(const Session& session, ProcessId process, QWidget* parent);

} // namespace socklens::ui
