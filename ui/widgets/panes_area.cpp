#include "widgets/panes_area.h"

#include "models/change_set.h"
#include "models/session.h"
#include "widgets/process_pane.h"

#include <QHBoxLayout>

namespace socklens::ui {

PanesArea::PanesArea(const Session& session, DescriptorsModel& descriptors, QWidget* parent)
    : QScrollArea(parent)
    , session_(session)
    , descriptors_(descriptors) {
    auto* content = new QWidget(this);
    layout_ = new QHBoxLayout(content);
    layout_->setContentsMargins(4, 4, 4, 4);
    setWidget(content);
    setWidgetResizable(true);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    connect(&session, &Session::changed, this, [this](const ChangeSet& changes, int, int) {
        if (!changes.processes.empty())
            sync();
    });
    sync();
}

ProcessPane* PanesArea::pane(ProcessId process) const {
    for (ProcessPane* pane : panes_) {
        if (pane->process() == process)
            return pane;
    }
    return nullptr;
}

void PanesArea::sync() {
    for (ProcessPane* existing : panes_) { // in replay, before the process joined
        if (!session_.state().process(existing->process()))
            existing->refreshHeader();
    }
    for (const auto& [id, process] : session_.state().processes) {
        if (ProcessPane* existing = pane(id)) {
            existing->refreshHeader();
            continue;
        }
        auto* added = new ProcessPane(session_, descriptors_, id, widget());
        added->setAccessibleName(tr("Process %1 (pid %2)")
                                     .arg(QString::fromStdString(process.name))
                                     .arg(process.pid.value()));
        panes_.push_back(added);
        layout_->addWidget(added, 1);
        connect(added, &ProcessPane::moveRequested, this,
                [this, added](int direction) { move(added, direction); });
        connect(added, &ProcessPane::closeRequested, added, &QWidget::hide);
        Q_EMIT paneAdded(added);
    }
}

void PanesArea::move(ProcessPane* pane, int direction) {
    const int from = layout_->indexOf(pane);
    const int to = from + direction;
    if (from < 0 || to < 0 || to >= layout_->count())
        return;
    layout_->removeWidget(pane);
    layout_->insertWidget(to, pane, 1);
    const auto it = std::find(panes_.begin(), panes_.end(), pane);
    std::iter_swap(it, panes_.begin() +
                           std::ptrdiff_t(std::clamp<int>(int(it - panes_.begin()) + direction, 0,
                                                          int(panes_.size()) - 1)));
}

void PanesArea::showAllPanes() {
    for (ProcessPane* pane : panes_)
        pane->show();
}

} // namespace socklens::ui
