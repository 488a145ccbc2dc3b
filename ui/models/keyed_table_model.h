// A table whose rows are identified by sorted keys (descriptor, socket, process ...).
// Live updates insert and remove only the keys that changed, in runs of adjacent rows, so a
// live update never resets the model: selections, scroll positions and open editors survive,
// and a batch costs O(changes · log n) lookups (plus one move of the key vector per run).
#pragma once

#include <QAbstractTableModel>
#include <algorithm>
#include <span>
#include <vector>

namespace socklens::ui {

template <class Key> class KeyedTableModel : public QAbstractTableModel {
public:
    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex& parent = {}) const final {
        return parent.isValid() ? 0 : int(keys_.size());
    }

    /// The row of `key`, or -1.
    int rowOf(const Key& key) const {
        const auto it = std::lower_bound(keys_.begin(), keys_.end(), key);
        return it != keys_.end() && *it == key ? int(it - keys_.begin()) : -1;
    }
    const Key& keyAt(int row) const { return keys_.at(std::size_t(row)); }
    const std::vector<Key>& keys() const { return keys_; }
    /// While rowsAboutToBeInserted is emitted: the keys of the rows about to be inserted
    /// (a proxy can tell which of them it shows before they exist). Empty otherwise.
    std::span<const Key> incomingKeys() const { return incoming_; }

protected:
    /// Removes the rows of `gone` and inserts rows for `arrived`; both sorted ascending
    /// without duplicates. Keys of `gone` without a row, and keys of `arrived` with one,
    /// are ignored.
    void updateRows(const std::vector<Key>& gone, const std::vector<Key>& arrived) {
        removeKeys(gone);
        insertKeys(arrived);
    }

    /// `next` must be sorted ascending without duplicates. O(n): for small models, or
    /// when the whole key list changes.
    void syncRows(const std::vector<Key>& next) {
        std::vector<Key> gone;
        std::vector<Key> arrived;
        std::set_difference(keys_.begin(), keys_.end(), next.begin(), next.end(),
                            std::back_inserter(gone));
        std::set_difference(next.begin(), next.end(), keys_.begin(), keys_.end(),
                            std::back_inserter(arrived));
        updateRows(gone, arrived);
    }

    /// Repaints the rows of `changed` (sorted ascending): one signal per run of adjacent rows.
    void rowsChanged(const std::vector<Key>& changed) {
        int first = -1;
        int last = -1;
        auto flush = [&] {
            if (first >= 0)
                Q_EMIT this->dataChanged(this->index(first, 0),
                                         this->index(last, this->columnCount() - 1));
        };
        for (const Key& key : changed) {
            const int row = rowOf(key);
            if (row < 0)
                continue;
            if (row != last + 1 || first < 0) {
                flush();
                first = row;
            }
            last = row;
        }
        flush();
    }

private:
    void removeKeys(const std::vector<Key>& gone) {
        // Last run first, so the rows of earlier runs stay where they are.
        for (auto it = gone.rbegin(); it != gone.rend();) {
            const int last = rowOf(*it++);
            if (last < 0)
                continue;
            int first = last;
            while (it != gone.rend() && first > 0 && keys_[std::size_t(first - 1)] == *it) {
                --first;
                ++it;
            }
            beginRemoveRows({}, first, last);
            keys_.erase(keys_.begin() + first, keys_.begin() + last + 1);
            endRemoveRows();
        }
    }

    void insertKeys(const std::vector<Key>& arrived) {
        for (auto it = arrived.begin(); it != arrived.end();) {
            const auto at = std::lower_bound(keys_.begin(), keys_.end(), *it);
            if (at != keys_.end() && *at == *it) {
                ++it;
                continue;
            }
            // Every following key that sorts before the row at `at` lands in the same run.
            const auto end =
                at == keys_.end() ? arrived.end() : std::lower_bound(it, arrived.end(), *at);
            const int row = int(at - keys_.begin());
            incoming_ = std::span<const Key>(&*it, std::size_t(end - it));
            beginInsertRows({}, row, row + int(end - it) - 1);
            incoming_ = {};
            keys_.insert(at, it, end);
            endInsertRows();
            it = end;
        }
    }

    std::vector<Key> keys_;
    std::span<const Key> incoming_;
};

} // namespace socklens::ui
