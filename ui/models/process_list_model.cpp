#include "models/process_list_model.h"

#include "models/column_titles.h"
#include "models/text.h"
#include "sysmap/proc_scan.h"
#include "sysmap/process_reading.h"

#include <pwd.h>
#include <sys/stat.h>

namespace socklens::ui {

namespace {

QString userName(uid_t uid) {
    if (const passwd* entry = ::getpwuid(uid))
        return QString::fromLocal8Bit(entry->pw_name);
    return QString::number(uid);
}

} // namespace

ProcessListModel::ProcessListModel(QObject* parent)
    : KeyedTableModel(parent)
    , reader_(this) {}

std::map<std::int64_t, ProcessRow> ProcessListModel::readProcesses() {
    std::map<std::int64_t, ProcessRow> rows;
    std::map<uid_t, QString> users;
    for (const std::int64_t pid : sysmap::listProcesses()) {
        const auto identity = sysmap::readProcessIdentity(pid);
        struct stat status {};
        if (!identity || identity->zombie ||
            ::stat(("/proc/" + std::to_string(pid)).c_str(), &status) != 0)
            continue;
        ProcessRow row;
        row.pid = pid;
        auto [user, added] = users.try_emplace(status.st_uid);
        if (added)
            user->second = userName(status.st_uid);
        row.user = user->second;
        row.commandLine = qs(sysmap::readCommandLine(pid));
        if (row.commandLine.isEmpty())
            row.commandLine = QStringLiteral("[%1]").arg(qs(identity->command));
        const sysmap::ProcessReadResult read =
            sysmap::readProcess(*identity, sysmap::FlagReading::None);
        if (read.reading)
            row.sockets = int(read.reading->sockets.size());
        else if (read.unreadable)
            row.unreadableWhy = qs(read.unreadable->why);
        rows.emplace(pid, std::move(row));
    }
    return rows;
}

bool ProcessListModel::refresh() {
    return reader_.run<std::map<std::int64_t, ProcessRow>>(&ProcessListModel::readProcesses,
                                                           [this](auto rows) {
                                                               std::vector<std::int64_t> pids;
                                                               for (const auto& [pid, row] : rows)
                                                                   pids.push_back(pid);
                                                               rows_ = std::move(rows);
                                                               syncRows(pids);
                                                               rowsChanged(pids);
                                                               Q_EMIT refreshed();
                                                           });
}

int ProcessListModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProcessListModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const auto found = rows_.find(keyAt(index.row()));
    if (found == rows_.end())
        return {};
    const ProcessRow& row = found->second;
    if (role == Qt::ToolTipRole && row.sockets < 0)
        return tr("Its sockets cannot be counted: %1").arg(row.unreadableWhy);
    if (role == SortRole) {
        if (index.column() == PidColumn)
            return qlonglong(row.pid);
        if (index.column() == SocketsColumn)
            return row.sockets;
    }
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    switch (index.column()) {
    case PidColumn:
        return qlonglong(row.pid);
    case UserColumn:
        return row.user;
    case CommandColumn:
        return row.commandLine;
    case SocketsColumn:
        return row.sockets < 0 ? QVariant(tr("?")) : QVariant(row.sockets);
    }
    return {};
}

QVariant ProcessListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    static const char* const kTitles[] = {"PID", "User", "Command line", "Sockets"};
    static_assert(std::size(kTitles) == ColumnCount);
    return columnTitle<ProcessListModel>(kTitles, section, orientation, role);
}

} // namespace socklens::ui
