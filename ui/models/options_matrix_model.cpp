#include "models/options_matrix_model.h"

#include "broker/labels.h"
#include "models/change_set.h"
#include "models/commands.h"
#include "models/option_editing.h"
#include "models/session.h"
#include "models/text.h"

namespace socklens::ui {

namespace {

/// Who changed a value since this descriptor's own request, if anyone: "set through
/// worker:5", "set outside the session".
QString changedBy(const State& state, const OptionValue& value) {
    if (value.setThrough)
        return OptionsMatrixModel::tr("set through %1")
            .arg(qs(broker::describeDescriptor(state, *value.setThrough)));
    if (value.changedOutside)
        return OptionsMatrixModel::tr("set outside the session");
    return {};
}

} // namespace

OptionsMatrixModel::OptionsMatrixModel(const Session& session, Commands& commands, QObject* parent)
    : KeyedTableModel(parent)
    , session_(session)
    , commands_(commands) {
    clock_.start();
    connect(&session, &Session::changed, this,
            [this](const ChangeSet& changes, int, int) { update(changes); });
}

SocketOption OptionsMatrixModel::optionAt(int column) const {
    return allSocketOptions().at(std::size_t(column));
}

Platform OptionsMatrixModel::platformAt(int row) const {
    const ProcessState* process = session_.state().process(keyAt(row).process);
    return process ? process->platform : Platform::Linux;
}

void OptionsMatrixModel::setSocket(SocketId socket) {
    if (socket == socket_)
        return;
    socket_ = socket;
    seen_.clear();
    changedAt_.clear();
    syncRows({}); // a new socket: new rows, nothing has "changed" yet
    std::vector<DescriptorRef> rows;
    for (const DescriptorState* descriptor : session_.state().descriptorsOf(socket_))
        rows.push_back(descriptor->ref);
    sync(rows);
}

void OptionsMatrixModel::update(const ChangeSet& changes) {
    if (!socket_.valid())
        return;
    // Rows come and go only among the rows shown and the descriptors named (an exiting
    // process closes its rows without naming them): no walk over all descriptors.
    bool touched = changes.sockets.contains(socket_) || !changes.processes.empty();
    std::vector<DescriptorRef> candidates = keys();
    for (const DescriptorRef& ref : changes.descriptors) {
        const DescriptorState* descriptor = session_.state().descriptor(ref);
        if (descriptor && descriptor->socket == socket_) {
            touched = true;
            candidates.push_back(ref);
        } else {
            touched = touched || rowOf(ref) >= 0;
        }
    }
    if (touched)
        sync(std::move(candidates));
}

void OptionsMatrixModel::sync(std::vector<DescriptorRef> candidates) {
    const State& state = session_.state();
    std::sort(candidates.begin(), candidates.end());
    std::vector<DescriptorRef> rows;
    for (const DescriptorRef& ref : candidates) {
        const DescriptorState* descriptor = state.descriptor(ref);
        if (descriptor && descriptor->open && descriptor->socket == socket_)
            rows.push_back(ref);
    }
    syncRows(rows);
    const std::vector<SocketOption>& options = allSocketOptions();
    for (int row = 0; row < rowCount(); ++row) {
        const DescriptorState* descriptor = state.descriptor(keyAt(row));
        for (std::size_t column = 0; column < options.size(); ++column) {
            const auto it = descriptor->options.find(options[column]);
            if (it == descriptor->options.end())
                continue;
            const auto cell = std::make_pair(keyAt(row), options[column]);
            const auto previous = seen_.find(cell);
            if (previous != seen_.end() && previous->second == it->second.value)
                continue;
            if (previous != seen_.end())
                changedAt_[cell] = clock_.elapsed();
            seen_[cell] = it->second.value;
            const QModelIndex index = this->index(row, int(column));
            Q_EMIT dataChanged(index, index);
        }
    }
}

int OptionsMatrixModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(allSocketOptions().size());
}

QVariant OptionsMatrixModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    const DescriptorRef& ref = keyAt(index.row());
    const SocketOption option = optionAt(index.column());
    const DescriptorState* descriptor = session_.state().descriptor(ref);
    if (!descriptor)
        return {};
    const auto it = descriptor->options.find(option);
    const ProcessState* process = session_.state().process(ref.process);
    const bool attached = process && process->foreign;
    if (it == descriptor->options.end()) {
        if (process && process->helper) // read at the next observation
            return role == Qt::DisplayRole ? QVariant(QStringLiteral("…")) : QVariant();
        if (!attached) { // a helper's child, or a holder found in the OS's tables
            if (role == Qt::DisplayRole)
                return tr("not read");
            if (role == Qt::ToolTipRole)
                return tr("socklens reads options through its helpers, and %1 is not one; the "
                          "socket's options are the same through every descriptor (C5), so a "
                          "helper's row shows them")
                    .arg(qs(process ? process->name : std::string("this process")));
            return {};
        }
        // An attached process's: not without a copy of the descriptor.
        if (role == Qt::DisplayRole)
            return tr("needs deep read");
        if (role == Qt::ToolTipRole)
            return tr("%1 of %2 can be read only through a copy of the descriptor (a deep read "
                      "with pidfd_getfd: Session ▸ Deep read of an attached process…); /proc and "
                      "sock_diag do "
                      "not give it. %3")
                .arg(qs(toString(option)), qs(process->name), qs(process->limits));
        return {};
    }
    const OptionValue& value = it->second;
    switch (role) {
    case Qt::EditRole:
        return qint64(value.value);
    case Qt::DisplayRole:
        if (value.errorCode)
            return tr("n/a");
        // Requested vs effective: Linux doubles SO_RCVBUF, for one.
        if (value.requested && *value.requested != value.value)
            return QStringLiteral("%1 → %2 (%3)")
                .arg(*value.requested)
                .arg(value.value)
                .arg(kernelAdjustment(option, *value.requested, value.value));
        // A value from outside the session is a surprise worth a word in the cell; one set
        // through another of the socket's descriptors is the sharing itself (C5), which the
        // cell's flash and its tooltip show.
        if (value.changedOutside)
            return QStringLiteral("%1 (%2)").arg(qs(shortOptionValue(option, value.value)),
                                                 changedBy(session_.state(), value));
        return qs(shortOptionValue(option, value.value));
    case Qt::ToolTipRole:
        if (value.errorCode)
            return tr("%1 cannot be read through this descriptor (error %2)")
                .arg(qs(toString(option)))
                .arg(value.errorCode);
        if (attached)
            return tr("%1 (sock_diag, or a deep read). Read-only: %2 is attached, and socklens "
                      "changes nothing in it")
                .arg(qs(describeOptionValue(option, value.value)), qs(process->name));
        if (!editable())
            return tr("%1. Read-only here: %2")
                .arg(qs(describeOptionValue(option, value.value)),
                     session_.replaying() ? tr("replay shows the past; go live (Alt+End) to "
                                               "set it.")
                                          : *commands_.refusal());
        if (const QString by = changedBy(session_.state(), value); !by.isEmpty())
            return tr("%1, %2").arg(qs(describeOptionValue(option, value.value)), by);
        return QString(qs(describeOptionValue(option, value.value)) +
                       (value.requested ? tr(" (requested %1 through this descriptor: %2)")
                                              .arg(*value.requested)
                                              .arg(value.requested == value.value
                                                       ? tr("kept as asked")
                                                       : kernelAdjustment(option, *value.requested,
                                                                          value.value))
                                        : QString()));
    case FlashRole: {
        const auto changed = changedAt_.find({ref, option});
        return changed == changedAt_.end() ? qint64(-1) : clock_.elapsed() - changed->second;
    }
    case Qt::TextAlignmentRole:
        return int(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

bool OptionsMatrixModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (role != Qt::EditRole || !index.isValid() || index.row() >= rowCount() || !editable())
        return false;
    if (!(flags(index) & Qt::ItemIsEditable)) {
        Q_EMIT refused(tr("%1 is not a helper: socklens only observes it and sets no option in "
                          "it")
                           .arg(qs(session_.state().process(keyAt(index.row()).process)->name)));
        return false;
    }
    const SocketOption option = optionAt(index.column());
    const CheckedOptionValue checked = checkOptionValue(option, platformAt(index.row()), value);
    if (!checked.value) {
        Q_EMIT refused(checked.whyNot);
        return false;
    }
    // The new value arrives through the journal once the OS has it; nothing is assumed here.
    commands_.setOption(keyAt(index.row()), option, *checked.value);
    return true;
}

QVariant OptionsMatrixModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Horizontal)
        return section < columnCount() ? qs(toString(optionAt(section))) : QVariant();
    if (section >= rowCount())
        return {};
    const DescriptorRef& ref = keyAt(section);
    const ProcessState* process = session_.state().process(ref.process);
    return QString((process ? qs(process->name) : QStringLiteral("?")) + u':' +
                   QString::number(ref.handle.value()));
}

Qt::ItemFlags OptionsMatrixModel::flags(const QModelIndex& index) const {
    if (!index.isValid())
        return Qt::NoItemFlags;
    const Qt::ItemFlags shown = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    // A cell of the past (replay) or of a recording only shows; a setsockopt would reach the
    // live socket, which these cells do not show.
    const ProcessState* process = session_.state().process(keyAt(index.row()).process);
    return editable() && process && process->helper ? shown | Qt::ItemIsEditable : shown;
}

bool OptionsMatrixModel::waitsForLive(const QModelIndex& index) const {
    if (!index.isValid() || !session_.replaying() || commands_.refusal())
        return false;
    const ProcessState* process = session_.state().process(keyAt(index.row()).process);
    return process && process->helper;
}

bool OptionsMatrixModel::editable() const {
    return !session_.replaying() && !commands_.refusal();
}

} // namespace socklens::ui
