#include "widgets/process_pane.h"

#include "models/descriptors_model.h"
#include "models/process_descriptors_proxy.h"
#include "models/session.h"
#include "models/text.h"
#include "widgets/palette_colors.h"
#include "widgets/style_roles_delegate.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QStyle>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace socklens::ui {

ProcessPane::ProcessPane(const Session& session, DescriptorsModel& descriptors, ProcessId process,
                         QWidget* parent)
    : QFrame(parent)
    , session_(session)
    , process_(process)
    , proxy_(new ProcessDescriptorsProxy(descriptors, process, this))
    , view_(new QTableView(this))
    , title_(new QLabel(this))
    , status_(new QLabel(this))
    , limits_(new QLabel(this)) {
    setFrameShape(QFrame::StyledPanel);
    setMinimumWidth(380);

    auto button = [this](QStyle::StandardPixmap icon, const QString& tip) {
        auto* b = new QToolButton(this);
        b->setAutoRaise(true);
        b->setIcon(style()->standardIcon(icon));
        b->setToolTip(tip);
        return b;
    };
    QToolButton* left = button(QStyle::SP_ArrowLeft, tr("Move this pane left"));
    QToolButton* right = button(QStyle::SP_ArrowRight, tr("Move this pane right"));
    QToolButton* close =
        button(QStyle::SP_TitleBarCloseButton, tr("Hide this pane (the process keeps running)"));
    connect(left, &QToolButton::clicked, this, [this] { Q_EMIT moveRequested(-1); });
    connect(right, &QToolButton::clicked, this, [this] { Q_EMIT moveRequested(+1); });
    connect(close, &QToolButton::clicked, this, &ProcessPane::closeRequested);

    QFont titleFont = title_->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    title_->setFont(titleFont);
    auto* header = new QHBoxLayout;
    header->addWidget(title_);
    header->addWidget(status_, 1);
    header->addWidget(left);
    header->addWidget(right);
    header->addWidget(close);

    view_->setModel(proxy_);
    view_->setItemDelegate(new StyleRolesDelegate(view_));
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setSelectionMode(QAbstractItemView::SingleSelection);
    view_->setDragEnabled(true);
    view_->setAcceptDrops(true);
    view_->setDropIndicatorShown(true);
    view_->setDragDropMode(QAbstractItemView::DragDrop);
    view_->setDefaultDropAction(Qt::CopyAction); // plain drag duplicates; Shift-drag hands off
    view_->verticalHeader()->hide();
    view_->horizontalHeader()->setStretchLastSection(true);
    view_->setColumnWidth(DescriptorsModel::HandleColumn, 40);
    view_->setColumnWidth(DescriptorsModel::SocketColumn, 50);
    view_->setContextMenuPolicy(Qt::CustomContextMenu);
    view_->setToolTip(tr("Drag a descriptor onto another pane to duplicate it there "
                         "(Shift: hand it off). Right-click for more."));
    connect(view_, &QTableView::customContextMenuRequested, this, [this](const QPoint& position) {
        const QModelIndex index = view_->indexAt(position);
        const QPoint global = view_->viewport()->mapToGlobal(position);
        if (index.isValid())
            Q_EMIT contextMenuRequested(
                DescriptorRef{process_,
                              Handle(index.data(DescriptorsModel::HandleRole).toLongLong())},
                global);
        else
            Q_EMIT paneMenuRequested(global);
    });
    connect(view_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid())
                    Q_EMIT descriptorActivated(DescriptorRef{
                        process_, Handle(current.data(DescriptorsModel::HandleRole).toLongLong())});
            });

    view_->viewport()->installEventFilter(this); // a click on empty space picks the pane too
    view_->setTabKeyNavigation(false);           // Tab moves on to the next widget
    view_->setAccessibleName(tr("Descriptors of this process"));
    // Kind says "TCP connected · no cloexec": on one line, not wrapped into a row twice as high.
    for (const int column : {DescriptorsModel::KindColumn, DescriptorsModel::LocalColumn,
                             DescriptorsModel::PeerColumn})
        view_->horizontalHeader()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    setObjectName(QStringLiteral("processPane"));
    status_->setObjectName(QStringLiteral("paneStatus"));
    setContextMenuPolicy(Qt::CustomContextMenu);
    connect(this, &QWidget::customContextMenuRequested, this, [this](const QPoint& position) {
        Q_EMIT activated();
        Q_EMIT paneMenuRequested(mapToGlobal(position));
    });
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(header);
    limits_->setWordWrap(true);
    limits_->setObjectName(QStringLiteral("readOnlyLimits"));
    layout->addWidget(limits_);
    layout->addWidget(view_);
    refreshHeader();
}

void ProcessPane::setCurrent(bool current) {
    if (current == current_)
        return;
    current_ = current;
    // The palette's highlight, so it reads on light and dark desktops alike.
    setStyleSheet(current ? QStringLiteral("#processPane { border: 2px solid palette(highlight); "
                                           "border-radius: 3px; }")
                          : QString());
    setAccessibleDescription(current ? tr("current helper: new sockets and Kill go here")
                                     : QString());
}

void ProcessPane::mousePressEvent(QMouseEvent* event) {
    Q_EMIT activated();
    QFrame::mousePressEvent(event);
}

void ProcessPane::changeEvent(QEvent* event) {
    QFrame::changeEvent(event);
    // The desktop went dark or light. Queued: the window's style sheet is applied again after
    // this event (focus_frame.h), and only then does the pane have the new palette.
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        QMetaObject::invokeMethod(this, &ProcessPane::refreshHeader, Qt::QueuedConnection);
}

bool ProcessPane::eventFilter(QObject* watched, QEvent* event) {
    if (watched == view_->viewport() && event->type() == QEvent::MouseButtonPress)
        Q_EMIT activated();
    return QFrame::eventFilter(watched, event);
}

std::optional<DescriptorRef> ProcessPane::currentDescriptor() const {
    const QModelIndex current = view_->selectionModel()->currentIndex();
    if (!current.isValid())
        return std::nullopt;
    return DescriptorRef{process_, Handle(current.data(DescriptorsModel::HandleRole).toLongLong())};
}

void ProcessPane::refreshHeader() {
    const ProcessState* process = session_.state().process(process_);
    view_->setEnabled(process != nullptr);
    if (!process) { // a replay before it joined: the pane stays, its process is in the future
        status_->setText(tr("not yet started at this point of the replay"));
        status_->setPalette(QPalette()); // the pane's own colours
        return;
    }
    title_->setText(qs(process->name));
    const QString platform =
        qs(toString(process->platform)) +
        (process->foreign  ? tr(", read-only (attached by %1)").arg(qs(process->attachedAs))
         : process->helper ? QString()
                           : tr(", not a helper"));
    // Under Wine a process has two: the Windows pid Winsock uses, and its Linux process.
    const QString pids =
        process->platform != Platform::WinsockWine ? tr("pid %1").arg(process->pid.value())
        : process->linuxPid.value() > 0
            ? tr("Windows pid %1 · Linux pid %2")
                  .arg(process->pid.value())
                  .arg(process->linuxPid.value())
            : tr("Windows pid %1 · Linux pid not told by Wine").arg(process->pid.value());
    if (process->alive) {
        status_->setText(tr("%1 · %2 · alive").arg(pids, platform));
    } else {
        status_->setText(tr("%1 · %2 · dead: %3").arg(pids, platform, qs(process->exitReason)));
    }
    // Green or red that reads on the pane's background, light or dark (see changeEvent).
    QPalette colours = status_->palette();
    colours.setColor(QPalette::WindowText, process->alive ? okText(palette(), QPalette::Window)
                                                          : alarmText(palette(), QPalette::Window));
    status_->setPalette(colours);
    // What cannot be read of an attached process, and why: a sentence, not a guess.
    status_->setToolTip(process->foreign ? qs(process->limits) : qs(process->osVersion));
    limits_->setText(qs(process->limits));
    limits_->setVisible(process->foreign && !process->limits.empty());
}

} // namespace socklens::ui
