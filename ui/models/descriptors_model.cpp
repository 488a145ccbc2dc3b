#include "models/descriptors_model.h"

#include "models/change_set.h"
#include "models/descriptor_mime.h"
#include "models/engine.h"
#include "models/session.h"
#include "models/style_roles.h"
#include "models/text.h"

namespace socklens::ui {

namespace {

QString processName(const State& state, ProcessId id) {
    const ProcessState* process = state.process(id);
    return process ? qs(process->name) : QStringLiteral("P%1").arg(id.value());
}

} // namespace

DescriptorsModel::DescriptorsModel(const Session& session, Engine& engine, QObject* parent)
    : KeyedTableModel(parent)
    , session_(session)
    , engine_(engine) {
    connect(&session, &Session::changed, this,
            [this](const ChangeSet& changes, int, int) { update(changes); });
    update(changesOf(session.journal().entries()));
}

void DescriptorsModel::update(const ChangeSet& changes) {
    const State& state = session_.state();
    if (changes.structure) {
        std::vector<DescriptorRef> open;
        for (const auto& [ref, descriptor] : state.descriptors) {
            if (descriptor.open)
                open.push_back(ref);
        }
        syncRows(open);
    }
    for (const DescriptorRef& ref : changes.descriptors)
        rowChanged(ref);
    if (changes.sockets.empty())
        return;
    // A socket's change (count, registration, address) shows in each of its descriptors.
    for (const DescriptorRef& ref : keys()) {
        const DescriptorState* descriptor = state.descriptor(ref);
        if (descriptor && changes.sockets.contains(descriptor->socket))
            rowChanged(ref);
    }
}

int DescriptorsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString DescriptorsModel::registrationBadge(const DescriptorRef& ref) const {
    const State& state = session_.state();
    const DescriptorState* descriptor = state.descriptor(ref);
    const SocketState* socket = descriptor ? state.socket(descriptor->socket) : nullptr;
    if (!socket)
        return {};
    if (socket->registration.owner == ref.process)
        return QStringLiteral("holds %1").arg(qs(eventMaskToString(socket->registration.mask)));
    // The latest time this process lost the registration to another one (C7).
    for (auto it = socket->registrationHistory.rbegin(); it != socket->registrationHistory.rend();
         ++it) {
        if (it->cancelled && it->cancelled->owner == ref.process &&
            it->registration.owner != ref.process)
            return QStringLiteral("cancelled by %1")
                .arg(it->registration.owner.valid() ? processName(state, it->registration.owner)
                                                    : QStringLiteral("nobody"));
        if (it->registration.owner == ref.process)
            break;
    }
    return {};
}

QVariant DescriptorsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const DescriptorRef& ref = keyAt(index.row());
    const State& state = session_.state();
    const DescriptorState* descriptor = state.descriptor(ref);
    const SocketState* socket = descriptor ? state.socket(descriptor->socket) : nullptr;
    if (!descriptor || !socket)
        return {};
    switch (role) {
    case ProcessRole:
        return ref.process.value();
    case SocketRole:
        return descriptor->socket.value();
    case HandleRole:
        return qint64(ref.handle.value());
    case HighlightedRole:
        return highlighted_.valid() && descriptor->socket == highlighted_;
    case EmphasizedRole:
        return index.column() == RegistrationColumn && socket->registration.owner == ref.process;
    case Qt::ToolTipRole:
        return QStringLiteral("fd %1 in %2 — socket S%3, socket:[%4], %5 descriptor(s) observed")
            .arg(ref.handle.value())
            .arg(processName(state, ref.process))
            .arg(descriptor->socket.value())
            .arg(socket->identity)
            .arg(socket->count);
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case HandleColumn:
        return qint64(ref.handle.value());
    case SocketColumn: {
        const bool inFlight =
            std::any_of(state.duplications.begin(), state.duplications.end(), [&](const auto& d) {
                return d.second.socket == descriptor->socket && d.second.inFlight;
            });
        return QString(QStringLiteral("S%1").arg(descriptor->socket.value()) +
                       (inFlight ? QStringLiteral(" — in flight") : QString()));
    }
    case KindColumn:
        return qs(socket->kind);
    case LocalColumn:
        return qs(socket->local);
    case PeerColumn:
        return qs(socket->peer);
    case RegistrationColumn:
        return registrationBadge(ref);
    }
    return {};
}

QVariant DescriptorsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case HandleColumn:
        return tr("fd");
    case SocketColumn:
        return tr("Socket");
    case KindColumn:
        return tr("Kind");
    case LocalColumn:
        return tr("Local");
    case PeerColumn:
        return tr("Peer");
    case RegistrationColumn:
        return tr("Registration");
    }
    return {};
}

Qt::ItemFlags DescriptorsModel::flags(const QModelIndex& index) const {
    if (!index.isValid())
        return Qt::ItemIsDropEnabled; // drops land on a pane, not on a row
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled;
}

QStringList DescriptorsModel::mimeTypes() const {
    return {QString::fromLatin1(kDescriptorMimeType)};
}

QMimeData* DescriptorsModel::mimeData(const QModelIndexList& indexes) const {
    std::vector<DescriptorRef> refs;
    for (const QModelIndex& index : indexes) {
        if (index.isValid() && index.model() == this) {
            const DescriptorRef& ref = keyAt(index.row());
            if (std::find(refs.begin(), refs.end(), ref) == refs.end())
                refs.push_back(ref);
        }
    }
    return refs.empty() ? nullptr : descriptorMime(refs).release();
}

Qt::DropActions DescriptorsModel::supportedDragActions() const {
    return Qt::CopyAction | Qt::MoveAction;
}
Qt::DropActions DescriptorsModel::supportedDropActions() const {
    return Qt::CopyAction | Qt::MoveAction;
}

bool DescriptorsModel::dropInto(const QMimeData* mime, Qt::DropAction action, ProcessId target) {
    const std::vector<DescriptorRef> refs = descriptorsFromMime(mime);
    if (refs.empty() || (action != Qt::CopyAction && action != Qt::MoveAction))
        return false;
    for (const DescriptorRef& ref : refs) {
        if (action == Qt::MoveAction && ref.process != target)
            engine_.handOff(ref, target);
        else
            engine_.duplicate(ref, target);
    }
    return true;
}

void DescriptorsModel::setHighlightedSocket(SocketId socket) {
    if (socket == highlighted_)
        return;
    const SocketId previous = highlighted_;
    highlighted_ = socket;
    const State& state = session_.state();
    for (const DescriptorRef& ref : keys()) {
        const DescriptorState* descriptor = state.descriptor(ref);
        if (descriptor && (descriptor->socket == previous || descriptor->socket == socket))
            rowChanged(ref);
    }
}

} // namespace socklens::ui
