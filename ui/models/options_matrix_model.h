// The options of one socket as read through each of its descriptors: rows are descriptors
// (process:fd), columns are options. Editing a cell sets the option through that row's
// descriptor; the others are read back by the broker, and cells whose value changed report
// it through FlashRole so the view can make the propagation (C5) visible.
#pragma once

#include "model/ids.h"
#include "model/socket_vocabulary.h"
#include "models/keyed_table_model.h"

#include <QElapsedTimer>
#include <map>

namespace socklens::ui {

class Commands;
class Session;
struct ChangeSet;

class OptionsMatrixModel : public KeyedTableModel<DescriptorRef> {
    Q_OBJECT
public:
    enum Role { FlashRole = Qt::UserRole + 1 }; ///< ms since the value last changed, or -1

    OptionsMatrixModel(const Session& session, Commands& commands, QObject* parent = nullptr);

    void setSocket(SocketId socket);
    SocketId socket() const { return socket_; }
    SocketOption optionAt(int column) const;
    /// The kernel behind a row's descriptor: it decides an option's range.
    Platform platformAt(int row) const;

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    /// Live and commandable: a cell edit would setsockopt what the cell shows.
    bool editable() const;
    /// `index` could be edited but for replay: live, its helper could set it.
    bool waitsForLive(const QModelIndex& index) const;

Q_SIGNALS:
    /// An edit was not passed to the kernel: `sentence` says why (text, out of range).
    void refused(const QString& sentence);

private:
    void update(const ChangeSet& changes);
    /// Rows for those of `candidates` that are open descriptors of the socket; repaints
    /// the cells whose value changed.
    void sync(std::vector<DescriptorRef> candidates);

    const Session& session_;
    Commands& commands_;
    SocketId socket_;
    /// Last seen value per cell, to notice changes; and when each cell last changed.
    std::map<std::pair<DescriptorRef, SocketOption>, std::int64_t> seen_;
    std::map<std::pair<DescriptorRef, SocketOption>, qint64> changedAt_;
    QElapsedTimer clock_;
};

} // namespace socklens::ui
