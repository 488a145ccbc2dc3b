// The options matrix: a cell is the value read through that row's descriptor. Cells whose
// value just changed flash, fading over a second, so a set through one descriptor is seen
// arriving in the others (C5).
#pragma once

#include <QTableView>
#include <QTimer>

namespace socklens::ui {

class OptionsMatrixModel;

class OptionsMatrixView : public QTableView {
    Q_OBJECT
public:
    explicit OptionsMatrixView(OptionsMatrixModel& model, QWidget* parent = nullptr);

private:
    QTimer fade_; ///< repaints while a flash fades; stops when none is left
};

} // namespace socklens::ui
