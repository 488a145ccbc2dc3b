// The journal as a log: one row per entry, appended live. Each row also says what it is
// about (process, socket, duplication), so clicking it can select that thing.
#pragma once

#include "model/journal_entry.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

namespace socklens::ui {

class Session;

class JournalModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { SequenceColumn, TimeColumn, CategoryColumn, TextColumn, ColumnCount };
    enum Role {
        CategoryRole = Qt::UserRole + 1, ///< EntryCategory as int
        SocketRole,                      ///< the socket the entry names, or 0
        ProcessRole,                     ///< the process it names, or 0
        DuplicationRole,                 ///< the duplication it belongs to, or 0
    };

    explicit JournalModel(const Session& session, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    bool afterReplay(int row) const;
    static bool failed(const EntryPayload& payload);

    const Session& session_;
    int rows_ = 0; ///< entries shown; the session may already hold more while rows are inserted
};

/// Text and category filter over a JournalModel.
class JournalFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit JournalFilterProxy(QObject* parent = nullptr);
    void setShowObservations(bool show);
    bool showObservations() const { return showObservations_; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    bool showObservations_ = true;
};

} // namespace socklens::ui
