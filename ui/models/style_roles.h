// Roles that say what a cell means for its look, not how it looks: the models stay Qt Core
// only, and the widgets' StyleRolesDelegate picks colours and fonts.
#pragma once

#include <Qt>

namespace socklens::ui {

enum StyleRole {
    HighlightedRole = Qt::UserRole + 100, ///< bool: belongs to the selected socket
    DimmedRole,                           ///< bool: closed, dead or not reached
    EmphasizedRole,                       ///< bool: holds the registration, and the like
    AlarmRole,                            ///< bool: a failure (a refused command, a problem)
};

} // namespace socklens::ui
