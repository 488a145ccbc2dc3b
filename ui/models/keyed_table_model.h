// A table whose rows are identified by sorted keys (descriptor, socket, process ...).
// syncRows() turns a new key list into minimal row inserts and removes, so a live update
// never resets the model: selections, scroll positions and open editors survive.
#pragma once

#include <QAbstractTableModel>
#include <algorithm>
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

protected:
    /// `next` must be sorted ascending without duplicates.
    void syncRows(const std::vector<Key>& next) {
        // Removals, last run first, so earlier row numbers stay valid.
        for (int row = int(keys_.size()) - 1; row >= 0;) {
            if (std::binary_search(next.begin(), next.end(), keys_[std::size_t(row)])) {
                --row;
                continue;
            }
            int first = row;
            while (first > 0 &&
                   !std::binary_search(next.begin(), next.end(), keys_[std::size_t(first - 1)]))
                --first;
            beginRemoveRows({}, first, row);
            keys_.erase(keys_.begin() + first, keys_.begin() + row + 1);
            endRemoveRows();
            row = first - 1;
        }
        // Insertions: what is left of keys_ is a subsequence of next.
        std::size_t kept = 0;
        for (std::size_t i = 0; i < next.size();) {
            if (kept < keys_.size() && keys_[kept] == next[i]) {
                ++kept;
                ++i;
                continue;
            }
            std::size_t end = i;
            while (end < next.size() && (kept >= keys_.size() || keys_[kept] != next[end]))
                ++end;
            beginInsertRows({}, int(i), int(end) - 1);
            keys_.insert(keys_.begin() + std::ptrdiff_t(i), next.begin() + std::ptrdiff_t(i),
                         next.begin() + std::ptrdiff_t(end));
            endInsertRows();
            kept += end - i;
            i = end;
        }
    }

    /// Repaints the whole row of `key`, if it has one.
    void rowChanged(const Key& key) {
        const int row = rowOf(key);
        if (row >= 0)
            Q_EMIT this->dataChanged(this->index(row, 0),
                                     this->index(row, this->columnCount() - 1));
    }

private:
    std::vector<Key> keys_;
};

} // namespace socklens::ui
