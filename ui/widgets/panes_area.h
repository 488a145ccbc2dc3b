// The process panes side by side, one per process of the session, in a horizontal scroll
// area. New processes get a pane as they join; panes can be reordered and hidden.
#pragma once

#include "model/ids.h"

#include <QScrollArea>
#include <vector>

class QHBoxLayout;

namespace socklens::ui {

class DescriptorsModel;
class ProcessPane;
class Session;

class PanesArea : public QScrollArea {
    Q_OBJECT
public:
    PanesArea(const Session& session, DescriptorsModel& descriptors, QWidget* parent = nullptr);

    const std::vector<ProcessPane*>& panes() const { return panes_; }
    ProcessPane* pane(ProcessId process) const;
    void showAllPanes();

Q_SIGNALS:
    void paneAdded(socklens::ui::ProcessPane* pane);

private:
    void sync();
    void move(ProcessPane* pane, int direction);

    const Session& session_;
    DescriptorsModel& descriptors_;
    QHBoxLayout* layout_;
    std::vector<ProcessPane*> panes_;
};

} // namespace socklens::ui
