// Every open descriptor of the session, one row each, sorted by process then handle: a
// process pane lists one contiguous range of rows (through a ProcessDescriptorsProxy). Drag
// and drop lives here: rows drag out as application/x-socklens-descriptor; a drop duplicates
// (copy) or hands off (move).
#pragma once

#include "model/ids.h"
#include "models/keyed_table_model.h"

#include <functional>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>

namespace socklens {
struct DescriptorState;
}

namespace socklens::ui {

class Commands;
class Session;
struct ChangeSet;

class DescriptorsModel : public KeyedTableModel<DescriptorRef> {
    Q_OBJECT
public:
    enum Column {
        HandleColumn,
        SocketColumn,
        KindColumn,
        LocalColumn,
        PeerColumn,
        RegistrationColumn,
        ColumnCount
    };
    enum Role { ProcessRole = Qt::UserRole + 1, SocketRole, HandleRole };

    DescriptorsModel(const Session& session, Commands& commands, QObject* parent = nullptr);

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QModelIndexList& indexes) const override;
    Qt::DropActions supportedDragActions() const override;
    Qt::DropActions supportedDropActions() const override;

    /// A drop onto `target`'s pane: copy = duplicate, move = hand off (duplicate, then close
    /// in the source). Returns false when `mime` carries no descriptor.
    bool dropInto(const QMimeData* mime, Qt::DropAction action, ProcessId target);

    /// Rows of this socket are highlighted in every pane.
    void setHighlightedSocket(SocketId socket);
    SocketId highlightedSocket() const { return highlighted_; }

    /// The rows of a socket's descriptors, in row order.
    std::vector<DescriptorRef> rowsOfSocket(SocketId socket) const;

    /// How a copy out of an attached process is confirmed (the window asks with a dialog);
    /// unset, such a drop is refused.
    void setConfirmation(std::function<bool(const QString& question)> confirm) {
        confirm_ = std::move(confirm);
    }

private:
    void update(const ChangeSet& changes);
    /// Adds or drops the rows of `candidates` (sorted) to match the state.
    void syncCandidates(const std::vector<DescriptorRef>& candidates);
    QString registrationBadge(const DescriptorRef& ref) const;
    /// What /proc and sock_diag said of an attached process's descriptor, for its tooltip.
    static QString observedText(const DescriptorState& descriptor);
    /// Why dropping `refs` onto `target` is refused: the target is not a helper, or a source
    /// is not one and would have to be closed (a hand-off) or cannot be copied out.
    std::optional<QString> readOnlyDrop(const std::vector<DescriptorRef>& refs,
                                        Qt::DropAction action, ProcessId target) const;
    /// Asks to copy `ref` out of an attached process into `target`; false: not copied.
    bool confirmCopyOut(const DescriptorRef& ref, ProcessId target) const;

    const Session& session_;
    Commands& commands_;
    std::function<bool(const QString&)> confirm_;
    SocketId highlighted_;
    /// The socket of every row as it was when the row was added, and the reverse index: a
    /// socket's change repaints its descriptors' rows without walking all rows.
    std::unordered_map<DescriptorRef, SocketId> socketOfRow_;
    std::set<std::pair<SocketId, DescriptorRef>> rowsBySocket_;
};

} // namespace socklens::ui
