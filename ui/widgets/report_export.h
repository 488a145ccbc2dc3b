// Writes a report of a session off the GUI thread: the journal and state are copied first,
// so the live session goes on while the report is made. Progress is reported in queued
// calls; a dialog shows it only when the export takes a while.
#pragma once

#include "model/session_format.h"
#include "report/report_format.h"

#include <QObject>
#include <QString>

class QWidget;

namespace socklens::ui {

class Session;

class ReportExport : public QObject {
    Q_OBJECT
public:
    /// Starts writing; deletes itself once finished() was emitted.
    static ReportExport* start(const Session& session, const SessionHeader& header,
                               report::ReportFormat format, const QString& path,
                               QWidget* dialogParent);

Q_SIGNALS:
    /// `error` is empty when the report was written.
    void finished(const QString& path, const QString& error);

private:
    ReportExport(QWidget* dialogParent);
};

} // namespace socklens::ui
