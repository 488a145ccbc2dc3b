// The options matrix: a cell is the value read through that row's descriptor. Cells whose
// value just changed flash, fading over a second, so a set through one descriptor is seen
// arriving in the others (C5).
#pragma once

#include "model/ids.h"
#include "model/socket_vocabulary.h"

#include <QTableView>
#include <QTimer>
#include <functional>

namespace socklens::ui {

class OptionsMatrixModel;

class OptionsMatrixView : public QTableView {
    Q_OBJECT
public:
    explicit OptionsMatrixView(OptionsMatrixModel& model, QWidget* parent = nullptr);

    /// Opens the editor of `option` through `descriptor`; false when the matrix has no such
    /// cell or it cannot be edited now.
    bool editCell(const DescriptorRef& descriptor, SocketOption option);

Q_SIGNALS:
    /// The user tried to edit a cell of the past (replay): `action` names what going live
    /// would let them do ("Go live and set SO_RCVBUF through A:5"); `perform` does it, live.
    void editWaitsForLive(const QString& action, const std::function<void()>& perform);

protected:
    bool edit(const QModelIndex& index, EditTrigger trigger, QEvent* event) override;

private:
    OptionsMatrixModel& model_;
    QTimer fade_; ///< repaints while a flash fades; stops when none is left
};

} // namespace socklens::ui
