// One process: a header (name, PID, platform, alive or dead and why) over the list of its
// descriptors. Rows drag out to other panes; drops here duplicate into this process.
#pragma once

#include "model/ids.h"

#include <QFrame>
#include <optional>

class QLabel;
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

Q_SIGNALS:
    void descriptorActivated(const socklens::DescriptorRef& descriptor);
    void contextMenuRequested(const socklens::DescriptorRef& descriptor,
                              const QPoint& globalPosition);
    void moveRequested(int direction); ///< -1 left, +1 right
    void closeRequested();

private:
    const Session& session_;
    ProcessId process_;
    ProcessDescriptorsProxy* proxy_;
    QTableView* view_;
    QLabel* title_;
    QLabel* status_;
};

} // namespace socklens::ui
