#include "models/descriptors_model.h"

#include "models/change_set.h"
#include "models/column_titles.h"
#include "models/commands.h"
#include "models/descriptor_mime.h"
#include "models/session.h"
#include "models/style_roles.h"
#include "models/text.h"

#include <algorithm>
#include <limits>

namespace socklens::ui {

namespace {

QString processName(const State& state, ProcessId id) {
    const ProcessState* process = state.process(id);
    return process ? qs(process->name) : QStringLiteral("P%1").arg(id.value());
}

/// Whether a child gets this descriptor, as the OS showed it: an attached Linux process's
/// close-on-exec (/proc fdinfo), a helper's reading through the descriptor (fcntl F_GETFD,
/// GetHandleInformation), else the handle's inherit flag in the system handle table (Winsock,
/// the socket's holders). Unknown where none was read.
entry::Inheritance inheritanceOf(const DescriptorRef& ref, const DescriptorState& descriptor,
                                 const SocketState& socket) {
    if (descriptor.observed)
        return descriptor.observed->closeOnExec ? entry::Inheritance::NotInheritable
                                                : entry::Inheritance::Inheritable;
    if (descriptor.inheritance != entry::Inheritance::Unknown)
        return descriptor.inheritance;
    for (const entry::Holder& holder : socket.holders)
        if (holder.process == ref.process && holder.handle == ref.handle)
            return holder.inheritance;
    return entry::Inheritance::Unknown;
}

bool isLinux(const State& state, ProcessId id) {
    const ProcessState* process = state.process(id);
    return !process || process->platform == Platform::Linux;
}

/// The tooltip's line on whether a child gets it: Linux's close-on-exec, Windows's inherit flag.
QString inheritanceText(entry::Inheritance inheritance, bool onLinux) {
    if (onLinux) {
        switch (inheritance) {
        case entry::Inheritance::Inheritable:
            return DescriptorsModel::tr("\nno close-on-exec (FD_CLOEXEC clear): every program "
                                        "this process executes gets this socket");
        case entry::Inheritance::NotInheritable:
            return DescriptorsModel::tr("\nclose-on-exec (FD_CLOEXEC): no program it executes "
                                        "gets this descriptor");
        case entry::Inheritance::Unknown:
            break;
        }
        return {};
    }
    switch (inheritance) {
    case entry::Inheritance::Inheritable:
        return DescriptorsModel::tr("\ninherit flag set (HANDLE_FLAG_INHERIT): a child started "
                                    "with handle inheritance gets this socket");
    case entry::Inheritance::NotInheritable:
        return DescriptorsModel::tr("\ninherit flag clear: no child gets this handle");
    case entry::Inheritance::Unknown:
        break;
    }
    return {};
}

} // namespace

DescriptorsModel::DescriptorsModel(const Session& session, Commands& commands, QObject* parent)
    : KeyedTableModel(parent)
    , session_(session)
    , commands_(commands) {
    connect(&session, &Session::changed, this,
            [this](const ChangeSet& changes, int, int) { update(changes); });
    update(changesOf(session.journal().entries()));
}

void DescriptorsModel::update(const ChangeSet& changes) {
    const State& state = session_.state();
    if (changes.structure) {
        std::vector<DescriptorRef> candidates(changes.descriptors.begin(),
                                              changes.descriptors.end());
        // A process that exits closes its descriptors without naming them; in replay one
        // that starts (or not yet) can bring or take them: check all of such a process's.
        for (ProcessId process : changes.processes) {
            const DescriptorRef first{process,
                                      Handle(std::numeric_limits<Handle::rep_type>::min())};
            for (auto it = state.descriptors.lower_bound(first);
                 it != state.descriptors.end() && it->first.process == process; ++it)
                candidates.push_back(it->first);
            for (auto it = std::lower_bound(keys().begin(), keys().end(), first);
                 it != keys().end() && it->process == process; ++it)
                candidates.push_back(*it);
        }
        std::sort(candidates.begin(), candidates.end());
        candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
        syncCandidates(candidates);
    }
    // A socket's change (count, registration, address) shows in each of its descriptors.
    std::vector<DescriptorRef> repaint(changes.descriptors.begin(), changes.descriptors.end());
    for (SocketId socket : changes.sockets) {
        const std::vector<DescriptorRef> rows = rowsOfSocket(socket);
        repaint.insert(repaint.end(), rows.begin(), rows.end());
    }
    std::sort(repaint.begin(), repaint.end());
    repaint.erase(std::unique(repaint.begin(), repaint.end()), repaint.end());
    rowsChanged(repaint);
}

void DescriptorsModel::syncCandidates(const std::vector<DescriptorRef>& candidates) {
    const State& state = session_.state();
    std::vector<DescriptorRef> gone;
    std::vector<DescriptorRef> arrived;
    for (const DescriptorRef& ref : candidates) {
        const DescriptorState* descriptor = state.descriptor(ref);
        const bool shown = descriptor && descriptor->open;
        const auto row = socketOfRow_.find(ref);
        const bool hadRow = row != socketOfRow_.end();
        // A handle reused for another socket keeps its row; only the index moves.
        if (hadRow && (!shown || row->second != descriptor->socket)) {
            rowsBySocket_.erase({row->second, ref});
            socketOfRow_.erase(row);
            if (!shown)
                gone.push_back(ref);
        }
        if (shown && socketOfRow_.try_emplace(ref, descriptor->socket).second) {
            rowsBySocket_.emplace(descriptor->socket, ref);
            if (!hadRow)
                arrived.push_back(ref);
        }
    }
    updateRows(gone, arrived);
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
    if (socket->registration.owner == ref.process) {
        // Linux reads the owner back (F_GETOWN_EX); Winsock cannot be asked, so there it is
        // the last registration made, and says so.
        const QString holds =
            QStringLiteral("holds %1").arg(qs(eventMaskToString(socket->registration.mask)));
        return socket->registration.readAt.valid() ? holds : holds + QStringLiteral(" (last made)");
    }
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

QString DescriptorsModel::observedText(const DescriptorState& descriptor) {
    QString text;
    if (const auto& seen = descriptor.observed) {
        text +=
            QLatin1Char('\n') +
            (seen->closeOnExec ? tr("close-on-exec")
                               : tr("no close-on-exec: inherited by "
                                    "every program it executes")) +
            (seen->nonBlocking ? tr(", O_NONBLOCK") : QString()) +
            (seen->async ? tr(", O_ASYNC") : QString()) +
            tr("\nqueues: %1 received, %2 to send").arg(seen->receiveQueue).arg(seen->sendQueue);
        if (!seen->epoll.empty())
            text += QLatin1Char('\n') + qs(seen->epoll.str());
    }
    if (!descriptor.provenance.empty())
        text += tr("\n%1: %2").arg(qs(descriptor.provenance), qs(descriptor.provenanceEvidence));
    return text;
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
        return QString(QStringLiteral("fd %1 in %2 — socket S%3, socket:[%4], %5 descriptor(s) "
                                      "observed")
                           .arg(ref.handle.value())
                           .arg(processName(state, ref.process))
                           .arg(descriptor->socket.value())
                           .arg(socket->identity)
                           .arg(socket->count) +
                       observedText(*descriptor) +
                       (descriptor->observed
                            ? QString() // close-on-exec is in observedText
                            : inheritanceText(inheritanceOf(ref, *descriptor, *socket),
                                              isLinux(state, ref.process))));
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
        // A descriptor a child would get is said plainly, in the row: a Linux descriptor
        // without close-on-exec leaks into what its process executes, an inheritable Windows
        // handle into every child made with handle inheritance.
        if (inheritanceOf(ref, *descriptor, *socket) == entry::Inheritance::Inheritable)
            return isLinux(state, ref.process) ? tr("%1 · no cloexec").arg(qs(socket->kind))
                                               : tr("%1 · inheritable").arg(qs(socket->kind));
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
    static const char* const kTitles[] = {"fd", "Socket", "Kind", "Local", "Peer", "Registration"};
    static_assert(std::size(kTitles) == ColumnCount);
    return columnTitle<DescriptorsModel>(kTitles, section, orientation, role);
}

Qt::ItemFlags DescriptorsModel::flags(const QModelIndex& index) const {
    // Replay and recordings show the past: nothing to drag from, nothing to drop on.
    const bool live = !session_.replaying() && !commands_.refusal();
    if (!index.isValid())
        return live ? Qt::ItemIsDropEnabled : Qt::NoItemFlags; // drops land on a pane
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable |
           (live ? Qt::ItemIsDragEnabled : Qt::NoItemFlags);
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
    if (refs.empty() || (action != Qt::CopyAction && action != Qt::MoveAction) ||
        session_.replaying() || commands_.refusal())
        return false;
    if (const std::optional<QString> why = readOnlyDrop(refs, action, target)) {
        Q_EMIT commands_.refused(*why);
        return false;
    }
    for (const DescriptorRef& ref : refs)
        if (!confirmCopyOut(ref, target))
            return false;
    for (const DescriptorRef& ref : refs) {
        if (action == Qt::MoveAction && ref.process != target)
            commands_.handOff(ref, target);
        else
            commands_.duplicate(ref, target);
    }
    return true;
}

std::optional<QString> DescriptorsModel::readOnlyDrop(const std::vector<DescriptorRef>& refs,
                                                      Qt::DropAction action,
                                                      ProcessId target) const {
    const State& state = session_.state();
    const ProcessState* into = state.process(target);
    if (into && !into->helper)
        return tr("Refused: %1 (pid %2) is %3; socklens drops, closes and changes nothing in it.")
            .arg(qs(into->name))
            .arg(into->pid.value())
            .arg(into->foreign ? tr("attached read-only") : tr("not a helper"));
    for (const DescriptorRef& ref : refs) {
        const ProcessState* from = state.process(ref.process);
        if (!from || from->helper)
            continue;
        if (!from->foreign)
            return tr("Refused: fd %1 belongs to %2 (pid %3), which is not attached: attach it "
                      "first (Session ▸ Attach to process…) to copy its descriptors.")
                .arg(ref.handle.value())
                .arg(qs(from->name))
                .arg(from->pid.value());
        if (action == Qt::MoveAction)
            return tr("Refused: %1 (pid %2) is attached read-only and nothing is closed in it; "
                      "drag without Shift to copy fd %3.")
                .arg(qs(from->name))
                .arg(from->pid.value())
                .arg(ref.handle.value());
    }
    return std::nullopt;
}

bool DescriptorsModel::confirmCopyOut(const DescriptorRef& ref, ProcessId target) const {
    const State& state = session_.state();
    const ProcessState* from = state.process(ref.process);
    if (!from || !from->foreign)
        return true;
    const ProcessState* into = state.process(target);
    const QString question =
        tr("Copy fd %1 out of %2 (pid %3) into %4 with pidfd_getfd? The socket then has one more "
           "descriptor, in %4, and commands through it change the socket %2 uses too. Nothing is "
           "closed or changed in %2 itself.")
            .arg(ref.handle.value())
            .arg(qs(from->name))
            .arg(from->pid.value())
            .arg(into ? qs(into->name) : QStringLiteral("the helper"));
    if (confirm_ && confirm_(question))
        return true;
    Q_EMIT commands_.refused(tr("Not copied: fd %1 of %2 (pid %3) stays where it is.")
                                 .arg(ref.handle.value())
                                 .arg(qs(from->name))
                                 .arg(from->pid.value()));
    return false;
}

void DescriptorsModel::setHighlightedSocket(SocketId socket) {
    if (socket == highlighted_)
        return;
    const SocketId previous = highlighted_;
    highlighted_ = socket;
    for (SocketId changed : {previous, socket})
        rowsChanged(rowsOfSocket(changed));
}

std::vector<DescriptorRef> DescriptorsModel::rowsOfSocket(SocketId socket) const {
    std::vector<DescriptorRef> rows;
    for (auto it = rowsBySocket_.lower_bound({socket, DescriptorRef{}});
         it != rowsBySocket_.end() && it->first == socket; ++it)
        rows.push_back(it->second);
    return rows;
}

} // namespace socklens::ui
