#include "widgets/main_window.h"

#include "model/entry_text.h"
#include "models/commands.h"
#include "models/descriptors_model.h"
#include "models/handoff_steps_model.h"
#include "models/journal_model.h"
#include "models/options_matrix_model.h"
#include "models/processes_model.h"
#include "models/session.h"
#include "models/sockets_model.h"
#include "models/text.h"
#include "widgets/caption.h"
#include "widgets/count_plot.h"
#include "widgets/focus_frame.h"
#include "widgets/handoff_view.h"
#include "widgets/journal_view.h"
#include "widgets/main_actions.h"
#include "widgets/message_bar.h"
#include "widgets/options_matrix_view.h"
#include "widgets/panes_area.h"
#include "widgets/process_pane.h"
#include "widgets/registration_timeline_plot.h"
#include "widgets/replay_banner.h"
#include "widgets/replay_bar.h"
#include "widgets/style_roles_delegate.h"
#include "widgets/table_menus.h"

#include <QAction>
#include <QCloseEvent>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace socklens::ui {

MainWindow::MainWindow(Session& session, Commands& commands, QWidget* parent)
    : QMainWindow(parent)
    , session_(session)
    , commands_(commands)
    , descriptors_(new DescriptorsModel(session, commands, this))
    , processes_(new ProcessesModel(session, this))
    , sockets_(new SocketsModel(session, this))
    , options_(new OptionsMatrixModel(session, commands, this))
    , handoff_(new HandoffStepsModel(session, this))
    , journal_(new JournalModel(session, this))
    , messageBar_(new MessageBar(this))
    , panes_(new PanesArea(session, *descriptors_, this))
    , replayBar_(new ReplayBar(session, this))
    , replayBanner_(new ReplayBanner(session, this)) {
    setWindowTitle(tr("socklens — shared sockets, as the OS sees them"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/socklens.svg")));

    vertical_ = new QSplitter(Qt::Vertical, this);
    vertical_->setObjectName(QStringLiteral("verticalSplitter"));
    vertical_->addWidget(panes_);
    vertical_->addWidget(buildSocketsAndOptions());
    vertical_->addWidget(buildLowerTabs());
    vertical_->setSizes({340, 230, 330}); // panes first: they are what people drag between

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(replayBar_);
    layout->addWidget(replayBanner_);
    layout->addWidget(messageBar_);
    layout->addWidget(vertical_, 1);
    setCentralWidget(central);

    connect(&session, &Session::problem, messageBar_, &MessageBar::showError);
    connect(&commands, &Commands::refused, messageBar_, &MessageBar::showError);
    connect(options_, &OptionsMatrixModel::refused, messageBar_, &MessageBar::showError);
    connect(replayBanner_, &ReplayBanner::goLiveRequested, replayBar_, &ReplayBar::goLive);
    connect(&session, &Session::changed, this, &MainWindow::reportLatestFact);
    // Until the user picks one, show the first socket, so the views below are never empty.
    connect(&session, &Session::changed, this, [this] {
        if (!selectedSocket_.valid() && !session_.state().sockets.empty())
            selectSocket(session_.state().sockets.begin()->first);
    });
    connect(panes_, &PanesArea::paneAdded, this, [this](ProcessPane* pane) {
        connect(pane, &ProcessPane::descriptorActivated, this, &MainWindow::onDescriptorActivated);
        connect(pane, &ProcessPane::activated, this, [this, pane] {
            currentProcess_ = pane->process();
            // Back to a pane whose row is already current: no row change says so.
            if (const auto descriptor = pane->currentDescriptor())
                current_ = descriptor;
            Q_EMIT currentChanged();
        });
        connect(pane, &ProcessPane::paneMenuRequested, this,
                [this, pane](const QPoint& at) { actions_->showPaneMenu(*pane, at); });
        connect(pane, &ProcessPane::contextMenuRequested, this,
                [this](const DescriptorRef& descriptor, const QPoint& at) {
                    current_ = descriptor;
                    currentProcess_ = descriptor.process;
                    Q_EMIT currentChanged();
                    actions_->showDescriptorMenu(descriptor, at);
                });
    });
    for (ProcessPane* pane : panes_->panes())
        Q_EMIT panes_->paneAdded(pane);

    actions_ = new MainActions(*this, *processes_);
    new TableMenus(*this);
    showFocusFrames(*this);
    // The pane that New socket and Kill act on is highlighted, whatever made it current.
    connect(this, &MainWindow::currentChanged, this, &MainWindow::highlightCurrentPane);
    connect(&session, &Session::changed, this, &MainWindow::highlightCurrentPane);
    statusBar()->showMessage(
        tr("Drag a descriptor onto another pane to duplicate it (Shift-drag hands it off)."));
    restoreSettings();
}

MainWindow::~MainWindow() = default;

QWidget* MainWindow::buildSocketsAndOptions() {
    middle_ = new QSplitter(Qt::Horizontal, this);
    middle_->setObjectName(QStringLiteral("middleSplitter"));

    auto* socketsBox = new QWidget(middle_);
    socketsView_ = new QTableView(socketsBox);
    socketsView_->setObjectName(QStringLiteral("socketsTable"));
    socketsView_->setAccessibleName(tr("Sockets"));
    socketsShown_ = new SocketsFilterProxy(*sockets_, this);
    socketsView_->setModel(socketsShown_);
    socketsView_->setSortingEnabled(true);
    socketsView_->sortByColumn(SocketsModel::SocketColumn, Qt::AscendingOrder);
    socketsView_->setTabKeyNavigation(false);
    auto* socketsFilter = new QLineEdit(socketsBox);
    socketsFilter->setObjectName(QStringLiteral("socketsFilter"));
    socketsFilter->setPlaceholderText(tr("Filter sockets: address, port, kind, holder…"));
    socketsFilter->setAccessibleName(tr("Filter sockets"));
    socketsFilter->setClearButtonEnabled(true);
    connect(socketsFilter, &QLineEdit::textChanged, socketsShown_,
            &QSortFilterProxyModel::setFilterFixedString);
    socketsView_->setItemDelegate(new StyleRolesDelegate(socketsView_));
    socketsView_->setSelectionBehavior(QAbstractItemView::SelectRows);
    socketsView_->setSelectionMode(QAbstractItemView::SingleSelection);
    socketsView_->verticalHeader()->hide();
    socketsView_->horizontalHeader()->setStretchLastSection(true);
    // Columns fit what is on screen: measuring up to 1 000 of 64 000 rows on every change
    // cost a batch tens of milliseconds.
    socketsView_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    socketsView_->horizontalHeader()->setResizeContentsPrecision(0);
    connect(socketsView_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid())
                    selectSocket(SocketId(current.data(SocketsModel::SocketRole).toUInt()));
            });
    auto* socketsLayout = new QVBoxLayout(socketsBox);
    socketsLayout->setContentsMargins(0, 0, 0, 0);
    socketsLayout->addWidget(caption(tr("Sockets — descriptor counts read from the OS (Linux: "
                                        "/proc/*/fd; Winsock: HandleCount)"),
                                     socketsBox));
    socketsLayout->addWidget(socketsFilter);
    socketsLayout->addWidget(socketsView_);

    auto* optionsBox = new QWidget(middle_);
    optionsCaption_ = caption(tr("Options — select a socket"), optionsBox);
    auto* optionsLayout = new QVBoxLayout(optionsBox);
    optionsLayout->setContentsMargins(0, 0, 0, 0);
    optionsLayout->addWidget(optionsCaption_);
    auto* matrix = new OptionsMatrixView(*options_, optionsBox);
    // An edit the past refused: the banner offers to go live and do it.
    connect(matrix, &OptionsMatrixView::editWaitsForLive, replayBanner_, &ReplayBanner::offer);
    optionsLayout->addWidget(matrix);

    middle_->addWidget(socketsBox);
    middle_->addWidget(optionsBox);
    return middle_;
}

QWidget* MainWindow::buildLowerTabs() {
    lowerTabs_ = new QTabWidget(this);
    timeline_ = new RegistrationTimelinePlot(session_, lowerTabs_);
    counts_ = new CountPlot(session_, lowerTabs_);
    timeline_->setObjectName(QStringLiteral("timeline"));
    counts_->setObjectName(QStringLiteral("counts"));
    lowerTabs_->addTab(timeline_, tr("Registration timeline"));
    lowerTabs_->addTab(counts_, tr("Descriptor counts"));

    handoffView_ = new HandoffView(session_, *handoff_, lowerTabs_);
    handoffView_->setObjectName(QStringLiteral("handoff"));
    lowerTabs_->addTab(handoffView_, tr("Handoff sequence"));

    auto* journalView = new JournalView(*journal_, lowerTabs_);
    journalView->setObjectName(QStringLiteral("journal"));
    connect(journalView, &JournalView::socketNamed, this, &MainWindow::selectSocket);
    connect(journalView, &JournalView::duplicationNamed, this, &MainWindow::selectDuplication);
    connect(journalView, &JournalView::seekRequested, this, [this](int entries) {
        if (entries >= int(session_.journal().entries().size()))
            session_.returnToLive();
        else
            session_.replayTo(entries);
    });
    lowerTabs_->addTab(journalView, tr("Journal"));
    connect(timeline_, &RegistrationTimelinePlot::entryChosen, this,
            [this, journalView](Sequence entry) {
                showView(QStringLiteral("journal"));
                journalView->selectEntry(entry);
            });
    return lowerTabs_;
}

bool MainWindow::showView(const QString& name) {
    for (int tab = 0; tab < lowerTabs_->count(); ++tab) {
        if (lowerTabs_->widget(tab)->objectName() == name) {
            lowerTabs_->setCurrentIndex(tab);
            return true;
        }
    }
    return false;
}

void MainWindow::onDescriptorActivated(const DescriptorRef& descriptor) {
    current_ = descriptor;
    currentProcess_ = descriptor.process;
    if (const DescriptorState* state = session_.state().descriptor(descriptor))
        selectSocket(state->socket);
    Q_EMIT currentChanged();
}

void MainWindow::reportLatestFact(const ChangeSet&, int first, int count) {
    // What the last command or drag did, in the status bar; ticks (observations) stay quiet.
    const std::vector<JournalEntry>& entries = session_.journal().entries();
    for (int k = first + count - 1; k >= first && !session_.replaying(); --k) {
        const JournalEntry& entry = entries[std::size_t(k)];
        if (categoryOf(entry.payload) == EntryCategory::Fact) {
            statusBar()->showMessage(qs(describeEntry(entry, session_.state())), 8000);
            return;
        }
    }
}

void MainWindow::highlightCurrentPane() {
    const ProcessId current = currentProcess();
    for (ProcessPane* pane : panes_->panes())
        pane->setCurrent(pane->process() == current);
}

std::optional<DescriptorRef> MainWindow::currentDescriptor() const {
    if (current_) {
        const DescriptorState* state = session_.state().descriptor(*current_);
        if (state && state->open)
            return current_;
    }
    return std::nullopt;
}

ProcessId MainWindow::currentProcess() const {
    const ProcessState* chosen = session_.state().process(currentProcess_);
    if (chosen && chosen->alive && chosen->helper)
        return currentProcess_;
    for (const auto& [id, process] : session_.state().processes) {
        if (process.alive && process.helper)
            return id;
    }
    return ProcessId();
}

void MainWindow::selectSocket(SocketId socket) {
    if (!socket.valid())
        return;
    selectedSocket_ = socket;
    descriptors_->setHighlightedSocket(socket);
    options_->setSocket(socket);
    timeline_->setSocket(socket);
    counts_->setSelectedSocket(socket);
    const int row = sockets_->rowOf(socket);
    const QModelIndex shown =
        row >= 0 ? socketsShown_->mapFromSource(sockets_->index(row, 0)) : QModelIndex();
    if (shown.isValid() && socketsView_->currentIndex().row() != shown.row())
        socketsView_->setCurrentIndex(shown);
    optionsCaption_->setText(
        tr("Options of S%1 through each of its descriptors — edit a cell to set it")
            .arg(socket.value()));
    // The handoff view follows the socket's latest duplication.
    for (auto it = session_.state().duplications.rbegin();
         it != session_.state().duplications.rend(); ++it) {
        if (it->second.socket == socket) {
            selectDuplication(it->first);
            break;
        }
    }
    Q_EMIT currentChanged();
}

void MainWindow::selectDuplication(DuplicationId duplication) {
    handoffView_->showDuplication(duplication);
}

void MainWindow::setReadOnly(const SessionHeader& header, const QString& name) {
    readOnly_ = true;
    actions_->setReadOnly(header);
    replayBar_->setRecorded(true);
    setWindowTitle(tr("%1 — recorded session, read-only — socklens").arg(name));
    auto* closeWindow = new QAction(tr("Close this window"), this);
    closeWindow->setShortcut(QKeySequence(tr("Ctrl+W")));
    connect(closeWindow, &QAction::triggered, this, &QWidget::close);
    addAction(closeWindow);
    statusBar()->showMessage(tr("A saved session, read-only: export a report with Ctrl+E."));
}

void MainWindow::restoreSettings() {
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1440, 900);
    vertical_->restoreState(
        settings.value(QStringLiteral("window/verticalSplitter")).toByteArray());
    middle_->restoreState(settings.value(QStringLiteral("window/middleSplitter")).toByteArray());
    lowerTabs_->setCurrentIndex(settings.value(QStringLiteral("window/lowerTab"), 0).toInt());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    event->accept();
    Q_EMIT closed();
    if (readOnly_) // the live window's layout is the one worth keeping
        return;
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/verticalSplitter"), vertical_->saveState());
    settings.setValue(QStringLiteral("window/middleSplitter"), middle_->saveState());
    settings.setValue(QStringLiteral("window/lowerTab"), lowerTabs_->currentIndex());
}

} // namespace socklens::ui
