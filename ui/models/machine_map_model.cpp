#include "models/machine_map_model.h"

#include "models/column_titles.h"
#include "models/text.h"

namespace socklens::ui {

QString holdersText(const sysmap::MapSocket& socket, const QString& separator) {
    QStringList lines;
    for (const sysmap::MapHolder& holder : socket.holders)
        lines << MachineMapModel::tr("pid %1 %2 fd %3%4")
                     .arg(holder.pid)
                     .arg(qs(holder.command()))
                     .arg(holder.fd)
                     .arg(holder.flags.closeOnExec ? QString()
                                                   : MachineMapModel::tr(" (no cloexec)"));
    return lines.join(separator);
}

MachineMapModel::MachineMapModel(QObject* parent)
    : KeyedTableModel(parent)
    , reader_(this) {}

bool MachineMapModel::refresh() {
    return reader_.run<sysmap::MachineMap>(
        [filter = filter_] { return sysmap::readMachineMap(filter); },
        [this](sysmap::MachineMap map) { take(std::move(map)); });
}

namespace {

bool sameHolders(const std::vector<sysmap::MapHolder>& a, const std::vector<sysmap::MapHolder>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](const sysmap::MapHolder& x, const sysmap::MapHolder& y) {
                          return x.pid == y.pid && x.fd == y.fd &&
                                 x.flags.closeOnExec == y.flags.closeOnExec &&
                                 x.command() == y.command();
                      });
}

/// Whether a row shows the same thing for both readings (what data() reads).
bool sameRow(const sysmap::MapSocket& a, const sysmap::MapSocket& b) {
    return a.kernel.kind == b.kernel.kind && a.kernel.local == b.kernel.local &&
           a.kernel.peer == b.kernel.peer && a.kernel.peerInode == b.kernel.peerInode &&
           a.kernel.state == b.kernel.state && sameHolders(a.holders, b.holders);
}

} // namespace

void MachineMapModel::take(sysmap::MachineMap map) {
    std::vector<std::uint64_t> inodes;
    inodes.reserve(map.sockets.size());
    for (const sysmap::MapSocket& socket : map.sockets)
        inodes.push_back(socket.kernel.inode);
    // Rows kept whose holders or state moved: both readings are sorted by inode. Only they are
    // repainted (and re-sorted by the view's proxy), not every row at every refresh.
    std::vector<std::uint64_t> changed;
    auto before = map_.sockets.begin();
    for (const sysmap::MapSocket& socket : map.sockets) {
        while (before != map_.sockets.end() && before->kernel.inode < socket.kernel.inode)
            ++before;
        if (before != map_.sockets.end() && before->kernel.inode == socket.kernel.inode &&
            !sameRow(*before, socket))
            changed.push_back(socket.kernel.inode);
    }
    map_ = std::move(map);
    syncRows(inodes);
    rowsChanged(changed);
    Q_EMIT refreshed();
}

QString MachineMapModel::summary() const {
    QString text = tr("%n socket(s)", nullptr, int(map_.sockets.size()));
    if (!map_.unreadable.empty())
        text += tr(" · %n process(es) could not be read (%1)", nullptr, int(map_.unreadable.size()))
                    .arg(qs(map_.unreadable.front().why));
    for (const std::string& problem : map_.problems)
        text += QStringLiteral(" · ") + qs(problem);
    return text;
}

const sysmap::MapSocket* MachineMapModel::socketAt(int row) const {
    const std::uint64_t inode = keyAt(row);
    const auto found = std::lower_bound(map_.sockets.begin(), map_.sockets.end(), inode,
                                        [](const sysmap::MapSocket& socket, std::uint64_t wanted) {
                                            return socket.kernel.inode < wanted;
                                        });
    return found != map_.sockets.end() && found->kernel.inode == inode ? &*found : nullptr;
}

int MachineMapModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MachineMapModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const sysmap::MapSocket* socket = socketAt(index.row());
    if (!socket)
        return {};
    const sysmap::KernelSocket& kernel = socket->kernel;
    if (role == Qt::ToolTipRole) { // an address cut short in its cell is read whole here
        const bool address = index.column() == LocalColumn || index.column() == PeerColumn;
        const QString text = address ? data(index, Qt::DisplayRole).toString() : QString();
        return text.isEmpty() ? holdersText(*socket, QStringLiteral("\n")) : text;
    }
    if (role == SortRole) {
        if (index.column() == InodeColumn)
            return qulonglong(kernel.inode);
        if (index.column() == CountColumn)
            return qulonglong(socket->processCount());
    }
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    switch (index.column()) {
    case InodeColumn:
        return qulonglong(kernel.inode);
    case KindColumn:
        return qs(kernel.kind);
    case LocalColumn:
        return qs(kernel.local);
    case PeerColumn:
        return kernel.peer.empty() && kernel.peerInode
                   ? QStringLiteral("socket:[%1]").arg(kernel.peerInode)
                   : qs(kernel.peer);
    case StateColumn:
        return qs(kernel.state);
    case CountColumn:
        return qulonglong(socket->processCount());
    case HoldersColumn:
        return holdersText(*socket, QStringLiteral(" · "));
    }
    return {};
}

QVariant MachineMapModel::headerData(int section, Qt::Orientation orientation, int role) const {
    static const char* const kTitles[] = {
        "Inode", "Kind", "Local", "Peer", "State", "Processes", "Holders (pid, command, fd)"};
    static_assert(std::size(kTitles) == ColumnCount);
    return columnTitle<MachineMapModel>(kTitles, section, orientation, role);
}

} // namespace socklens::ui
