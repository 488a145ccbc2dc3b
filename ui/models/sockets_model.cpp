#include "models/sockets_model.h"

#include "models/change_set.h"
#include "models/column_titles.h"
#include "models/session.h"
#include "models/style_roles.h"
#include "models/text.h"

namespace socklens::ui {

SocketsModel::SocketsModel(const Session& session, QObject* parent)
    : KeyedTableModel(parent)
    , session_(session) {
    connect(&session, &Session::changed, this,
            [this](const ChangeSet& changes, int, int) { update(changes); });
    update(changesOf(session.journal().entries()));
}

void SocketsModel::update(const ChangeSet& changes) {
    // A socket has a row once identified; sockets are never forgotten, but in replay one can
    // be not yet known or not yet identified.
    const State& state = session_.state();
    std::vector<SocketId> gone;
    std::vector<SocketId> arrived;
    std::set<SocketId> touched = changes.sockets;
    if (changes.everySocket) {
        for (const auto& [id, socket] : state.sockets)
            touched.insert(id);
    }
    for (SocketId id : touched) {
        const SocketState* socket = state.socket(id);
        (socket && socket->identity != 0 ? arrived : gone).push_back(id);
    }
    updateRows(gone, arrived);
    rowsChanged(arrived);
}

int SocketsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

SocketsFilterProxy::SocketsFilterProxy(SocketsModel& sockets, QObject* parent)
    : QSortFilterProxyModel(parent) {
    setSourceModel(&sockets);
    setSortRole(SocketsModel::SortKeyRole);
    setFilterKeyColumn(-1); // any column
    setFilterCaseSensitivity(Qt::CaseInsensitive);
    setDynamicSortFilter(true);
}

QVariant SocketsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const State& state = session_.state();
    const SocketState* socket = state.socket(keyAt(index.row()));
    if (!socket)
        return {};
    switch (role) {
    case SocketRole:
        return socket->id.value();
    case CountRole:
        return socket->count;
    case SortKeyRole:
        if (index.column() == SocketColumn)
            return socket->id.value();
        if (index.column() == CountColumn)
            return socket->count;
        return data(index, Qt::DisplayRole);
    case DimmedRole:
        return !socket->open;
    case Qt::TextAlignmentRole:
        return index.column() == CountColumn ? QVariant(Qt::AlignCenter) : QVariant();
    case Qt::ToolTipRole:
        if (index.column() == StatusColumn && socket->withoutDescriptor)
            return tr("No process holds a descriptor of this socket, yet the kernel still lists "
                      "it: a reference can be in flight in a Unix socket message (sent with "
                      "SCM_RIGHTS, not received yet), or the kernel keeps it to finish its work. "
                      "Whoever receives it appears here as a holder.");
        return tr("socket:[%1], family %2, type %3, protocol %4")
            .arg(socket->identity)
            .arg(socket->family)
            .arg(socket->type)
            .arg(socket->protocol);
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case SocketColumn:
        return QStringLiteral("S%1").arg(socket->id.value());
    case KindColumn:
        return qs(socket->kind);
    case LocalColumn:
        return qs(socket->local);
    case PeerColumn:
        return qs(socket->peer);
    case TcpStateColumn:
        return qs(socket->tcpState);
    case CountColumn:
        return socket->inFlight
                   ? QStringLiteral("%1 + %2 in flight").arg(socket->count).arg(socket->inFlight)
                   : QString::number(socket->count);
    case HoldersColumn: {
        QStringList holders;
        for (const entry::Holder& holder : socket->holders) {
            const ProcessState* process = state.process(holder.process);
            holders << (process ? qs(process->name) : QStringLiteral("?")) + u':' +
                           QString::number(holder.handle.value());
        }
        return holders.join(QStringLiteral(", "));
    }
    case StatusColumn:
        if (socket->withoutDescriptor)
            return tr("alive, no descriptor");
        return socket->open ? tr("open") : tr("closed");
    }
    return {};
}

QVariant SocketsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    static const char* const kTitles[] = {"Socket",    "Kind",        "Local",   "Peer",
                                          "TCP state", "Descriptors", "Holders", "Status"};
    static_assert(std::size(kTitles) == ColumnCount);
    return columnTitle<SocketsModel>(kTitles, section, orientation, role);
}

} // namespace socklens::ui
