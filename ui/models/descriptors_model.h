// Every open descriptor of the session, one row each: what a process pane lists (through a
// ProcessDescriptorsProxy). Drag and drop lives here: rows drag out as
// application/x-socklens-descriptor; a drop duplicates (copy) or hands off (move).
#pragma once

#include "model/ids.h"
#include "models/keyed_table_model.h"

namespace socklens::ui {

class Engine;
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

    DescriptorsModel(const Session& session, Engine& engine, QObject* parent = nullptr);

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

private:
    void update(const ChangeSet& changes);
    QString registrationBadge(const DescriptorRef& ref) const;

    const Session& session_;
    Engine& engine_;
    SocketId highlighted_;
};

} // namespace socklens::ui
