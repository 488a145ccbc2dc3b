// std::string <-> QString at the seam between core and the GUI, in one place.
#pragma once

#include <QString>
#include <string>

namespace socklens::ui {

inline QString qs(const std::string& text) {
    return QString::fromStdString(text);
}
inline QString qs(std::string_view text) {
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

} // namespace socklens::ui
