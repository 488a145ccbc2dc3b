#include "widgets/session_recorder.h"

#include "models/session.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QStandardPaths>
#include <span>
#include <stdexcept>

namespace socklens::ui {

namespace {

/// Removes all but the newest `keep` recordings, so they do not pile up.
void prune(QDir& folder, int keep) {
    const QFileInfoList files =
        folder.entryInfoList({QStringLiteral("session-*.jsonl")}, QDir::Files, QDir::Time);
    for (qsizetype i = keep; i < files.size(); ++i)
        QFile::remove(files[i].absoluteFilePath());
}

} // namespace

SessionRecorder::SessionRecorder(const Session& session, const QString& folder, QObject* parent)
    : QObject(parent)
    , session_(session) {
    QDir dir(folder);
    if (!dir.mkpath(QStringLiteral(".")))
        throw std::runtime_error("cannot create the folder " + folder.toStdString() +
                                 " for session recordings");
    prune(dir, kKeep - 1);
    path_ = dir.filePath(
        QStringLiteral("session-%1-%2.jsonl")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")))
            .arg(QCoreApplication::applicationPid()));
    writer_ = std::make_unique<SessionWriter>(path_.toStdString());
    write(0, int(session.journal().entries().size()));
    connect(&session, &Session::changed, this,
            [this](const ChangeSet&, int first, int count) { write(first, count); });
}

SessionRecorder::~SessionRecorder() = default;

QString SessionRecorder::defaultFolder() {
    // $XDG_DATA_HOME/socklens/sessions, as the README and man page say (AppLocalDataLocation
    // would add the organization: ~/.local/share/socklens/socklens).
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/socklens/sessions");
}

void SessionRecorder::write(int first, int count) {
    if (!writer_ || count == 0)
        return;
    try {
        writer_->write(std::span(session_.journal().entries())
                           .subspan(std::size_t(first), std::size_t(count)));
    } catch (const std::exception& error) {
        writer_.reset();
        Q_EMIT failed(
            tr("Recording the session stopped: %1").arg(QString::fromStdString(error.what())));
    }
}

} // namespace socklens::ui
