// One process: a header (name, PID, platform, alive or dead and why) over the list of its
// descriptors. Rows drag out to other panes; drops here duplicate into this process.
#pragma once

#include "model/ids.h"

#include <QFrame>
#include <optional>

class QLabel;
class QMouseEvent;
class QTableView;

namespace socklens::ui {

class DescriptorsModel;
class ProcessDescriptorsProxy;
class Session;

class ProcessPane : public QFrame {
    Q_OBJECT
public:
    ProcessPane(const Session& session, DescriptorsModel& descriptors, ProcessId process,
                QWidget* parent = nullptr);

    ProcessId process() const { return process_; }
    QTableView* view() const { return view_; }
    ProcessDescriptorsProxy* proxy() const { return proxy_; }
    /// The descriptor under the selection, if any.
    std::optional<DescriptorRef> currentDescriptor() const;
    void refreshHeader();
    /// The pane the process commands go to (New socket, Kill) is drawn highlighted.
    void setCurrent(bool current);
    bool isCurrent() const { return current_; }

Q_SIGNALS:
    void descriptorActivated(const socklens::DescriptorRef& descriptor);
    void contextMenuRequested(const socklens::DescriptorRef& descriptor,
                              const QPoint& globalPosition);
    /// A click anywhere in the pane, on a row or not: it becomes the current pane.
    void activated();
    /// A right-click where there is no row (an empty pane, or below its rows).
    void paneMenuRequested(const QPoint& globalPosition);
    void moveRequested(int direction); ///< -1 left, +1 right
    void closeRequested();

protected:
    void mousePressEvent(QMouseEvent* event) override;
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    const Session& session_;
    ProcessId process_;
    ProcessDescriptorsProxy* proxy_;
    QTableView* view_;
    QLabel* title_;
    QLabel* status_;
    QLabel* limits_; ///< what cannot be read of an attached process, and why
    bool current_ = false;
};

} // namespace socklens::ui
