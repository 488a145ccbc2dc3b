// The header of a table whose columns have fixed titles: one list of titles per model, in
// column order, translated in the model's context.
#pragma once

#include <QVariant>

#include <cstddef>

namespace socklens::ui {

/// headerData() for `titles` (QT_TR_NOOP strings, one per column): the title of `section`
/// for the horizontal header's display role, nothing otherwise.
template <class Model, std::size_t N>
QVariant columnTitle(const char* const (&titles)[N], int section, Qt::Orientation orientation,
                     int role) {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 ||
        section >= int(N))
        return {};
    return Model::tr(titles[section]);
}

} // namespace socklens::ui
