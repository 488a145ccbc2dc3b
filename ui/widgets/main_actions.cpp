#include "widgets/main_actions.h"

#include "models/change_set.h"
#include "models/commands.h"
#include "models/processes_model.h"
#include "models/session.h"
#include "models/text.h"
#include "widgets/attach_actions.h"
#include "widgets/help_dialogs.h"
#include "widgets/main_window.h"
#include "widgets/message_bar.h"
#include "widgets/panes_area.h"
#include "widgets/process_pane.h"
#include "widgets/replay_bar.h"

#include <QActionGroup>
#include <QApplication>
#include <QInputDialog>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>
#include <functional>

namespace socklens::ui {

MainActions::MainActions(MainWindow& window, ProcessesModel& processes)
    : QObject(&window)
    , window_(window)
    , processes_(processes) {
    buildMenus();
    connect(&window_.session(), &Session::changed, this, [this] {
        refreshEnabled();
        endWinsockProgress();
        startRecording();
    });
    connect(&window_.session(), &Session::replayMoved, this, &MainActions::refreshEnabled);
    connect(&window_, &MainWindow::currentChanged, this, &MainActions::refreshEnabled);
    connect(&window_.session(), &Session::problem, this, [this] {
        if (!startingWinsockHelper_.isEmpty()) {
            startingWinsockHelper_.clear();
            window_.statusBar()->clearMessage(); // the message bar says what went wrong
        }
    });
    refreshEnabled();
}

QAction* MainActions::action(const QString& text, const QKeySequence& shortcut,
                             void (MainActions::*slot)()) {
    auto* created = new QAction(text, &window_);
    created->setShortcut(shortcut);
    connect(created, &QAction::triggered, this, slot);
    window_.addAction(created); // shortcuts work wherever the focus is
    return created;
}

void MainActions::buildMenus() {
    QStyle* style = window_.style();
    QMenuBar* bar = window_.menuBar();
    QToolBar* tools = window_.addToolBar(tr("Main"));
    tools->setObjectName(QStringLiteral("mainToolBar"));
    tools->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);

    // Session
    QMenu* session = bar->addMenu(tr("&Session"));
    QAction* newHelper =
        action(tr("New &helper"), QKeySequence(tr("Ctrl+Shift+N")), &MainActions::newHelper);
    newHelper->setIcon(style->standardIcon(QStyle::SP_FileDialogNewFolder));
    newHelper->setToolTip(tr("Start another Linux helper process (Ctrl+Shift+N)"));
    QAction* newWinsock = action(tr("New &Winsock helper (Wine)"), QKeySequence(tr("Ctrl+Shift+W")),
                                 &MainActions::newWinsockHelper);
    newWinsock->setIcon(style->standardIcon(QStyle::SP_ComputerIcon));
    if (const auto why = window_.commands().winsockUnavailable()) {
        newWinsock->setEnabled(false);
        newWinsock->setToolTip(tr("Winsock helpers cannot start here: %1").arg(*why));
    } else {
        newWinsock->setToolTip(tr("Start socklens-helper.exe under Wine: real Winsock, "
                                  "WSADuplicateSocket between Winsock panes (Ctrl+Shift+W)"));
    }
    QAction* kill = action(tr("&Kill helper (kill -9)…"), QKeySequence(tr("Ctrl+Shift+K")),
                           &MainActions::killHelper);
    kill->setToolTip(tr("Kill the current helper (the highlighted pane) with SIGKILL, after "
                        "asking (Ctrl+Shift+K)"));
    kill->setIcon(style->standardIcon(QStyle::SP_BrowserStop));
    QAction* child = action(tr("Start &child inheriting its handles"), QKeySequence(),
                            &MainActions::startInheritingChild);
    child->setToolTip(tr("The current helper starts a child process that inherits every "
                         "inheritable handle (Winsock: CreateProcess with bInheritHandles; "
                         "Linux: its sockets left open across exec) and ends after two minutes"));
    QAction* run =
        action(tr("&Run scenario…"), QKeySequence(tr("Ctrl+R")), &MainActions::runScenarioDialog);
    run->setIcon(style->standardIcon(QStyle::SP_MediaPlay));
    QAction* save =
        action(tr("&Save session…"), QKeySequence::Save, &MainActions::saveSessionDialog);
    save->setIcon(style->standardIcon(QStyle::SP_DialogSaveButton));
    QAction* report =
        action(tr("&Export report…"), QKeySequence(tr("Ctrl+E")), &MainActions::exportReportDialog);
    report->setToolTip(tr("Write a report of this session: PDF, HTML, JSON or CSV (Ctrl+E)"));
    QAction* open =
        action(tr("&Open session…"), QKeySequence::Open, &MainActions::openSessionDialog);
    open->setIcon(style->standardIcon(QStyle::SP_DialogOpenButton));
    open->setToolTip(tr("Open a saved session read-only in a window of its own"));
    session->addActions({newHelper, newWinsock, kill, child});
    for (QAction* attaching : addAttachActions(window_, *session))
        gate(attaching, Needs::Nothing);
    session->addSeparator();
    session->addAction(run);
    session->addSeparator();
    session->addActions({save, open});
    QMenu* recent = session->addMenu(tr("Recent sess&ions"));
    connect(recent, &QMenu::aboutToShow, this, [this, recent] {
        recent->clear();
        for (const QString& path :
             QSettings().value(QStringLiteral("recent/sessions")).toStringList())
            recent->addAction(path, this, [this, path] { openSession(path); });
        if (recent->isEmpty())
            recent->addAction(tr("(none yet)"))->setEnabled(false);
    });
    session->addAction(report);
    session->addSeparator();
    QAction* quit = session->addAction(tr("&Quit"), QKeySequence::Quit, &window_, &QWidget::close);
    Q_UNUSED(quit);

    // Socket
    QMenu* socket = bar->addMenu(tr("S&ocket"));
    QMenu* create = socket->addMenu(style->standardIcon(QStyle::SP_FileIcon), tr("&New socket"));
    const std::pair<SocketKind, std::pair<QString, QKeySequence>> kinds[] = {
        {SocketKind::TcpPair, {tr("Connected &TCP pair"), QKeySequence(tr("Ctrl+T"))}},
        {SocketKind::TcpListener, {tr("TCP &listener"), QKeySequence(tr("Ctrl+L"))}},
        {SocketKind::Udp, {tr("&UDP socket"), QKeySequence(tr("Ctrl+U"))}},
        {SocketKind::UnixPair, {tr("Uni&x stream pair"), QKeySequence(tr("Ctrl+Shift+U"))}},
    };
    for (const auto& [kind, label] : kinds) {
        QAction* a = create->addAction(label.first, label.second, this, [this, kind = kind] {
            const ProcessId process = window_.currentProcess();
            if (!process.valid())
                window_.messageBar().showError(
                    tr("There is no live helper to create a socket in: start one first."));
            else
                window_.commands().createSocket(process, kind);
        });
        window_.addAction(a);
    }
    duplicateMenu_ = socket->addMenu(tr("&Duplicate into"));
    handOffMenu_ = socket->addMenu(tr("&Hand off to"));
    connect(duplicateMenu_, &QMenu::aboutToShow, this,
            [this] { fillProcessMenu(duplicateMenu_, false); });
    connect(handOffMenu_, &QMenu::aboutToShow, this,
            [this] { fillProcessMenu(handOffMenu_, true); });
    QAction* sendAction = action(tr("&Send…"), QKeySequence(tr("Ctrl+Return")), &MainActions::send);
    QAction* receiveAction =
        action(tr("&Receive"), QKeySequence(tr("Ctrl+Shift+Return")), &MainActions::receive);
    QAction* closeAction =
        action(tr("&Close descriptor"), QKeySequence::Delete, &MainActions::close);
    closeAction->setIcon(style->standardIcon(QStyle::SP_DialogCloseButton));
    registerMenu_ = socket->addMenu(tr("Re&gister for"));
    const std::pair<EventMask, std::pair<QString, QKeySequence>> masks[] = {
        {FdRead, {tr("FD_READ"), QKeySequence(tr("Ctrl+1"))}},
        {FdWrite, {tr("FD_WRITE"), QKeySequence(tr("Ctrl+2"))}},
        {FdRead | FdWrite, {tr("FD_READ | FD_WRITE"), QKeySequence(tr("Ctrl+3"))}},
        {0, {tr("Nothing (cancel the registration)"), QKeySequence(tr("Ctrl+0"))}},
    };
    for (const auto& [mask, label] : masks) {
        QAction* a = registerMenu_->addAction(label.first, label.second, this,
                                              [this, mask = mask] { registerMask(mask); });
        window_.addAction(a);
        descriptorActions_ << a;
    }
    QAction* probeAction = action(tr("&Probe: the peer sends a byte"), QKeySequence(tr("Ctrl+P")),
                                  &MainActions::probe);
    probeAction->setIcon(style->standardIcon(QStyle::SP_MediaSeekForward));
    probeAction->setToolTip(tr("The peer of the selected socket sends one byte; the timeline shows "
                               "who the OS notifies (Ctrl+P)"));
    socket->addSeparator();
    socket->addActions({sendAction, receiveAction, probeAction});
    socket->addSeparator();
    socket->addAction(closeAction);
    descriptorActions_ << sendAction << receiveAction << closeAction;

    // View
    QMenu* view = bar->addMenu(tr("&View"));
    QMenu* tick = view->addMenu(tr("Observation &rate"));
    auto* rates = new QActionGroup(this);
    const int savedRate = QSettings().value(QStringLiteral("engine/tickHz"), 10).toInt();
    for (int hertz : {1, 2, 5, 10, 20}) {
        QAction* rate =
            tick->addAction(tr("%1 Hz").arg(hertz), this, [this, hertz] { setTickRate(hertz); });
        rate->setCheckable(true);
        rate->setChecked(hertz == savedRate);
        rates->addAction(rate);
    }
    setTickRate(savedRate);
    view->addAction(tr("Show &all panes"), &window_.panes(), &PanesArea::showAllPanes);
    addMachineView(window_, *view);

    // Replay: every view follows the time slider.
    QMenu* replay = bar->addMenu(tr("&Replay"));
    ReplayBar* slider = &window_.replayBar();
    const std::pair<QString, std::pair<QKeySequence, std::function<void()>>> replaySteps[] = {
        {tr("&Play / pause"), {QKeySequence(Qt::Key_F5), [slider] { slider->togglePlaying(); }}},
        {tr("Play at &1×"), {QKeySequence(tr("Alt+1")), [slider] { slider->setSpeed(1); }}},
        {tr("Play at 1&0×"), {QKeySequence(tr("Alt+0")), [slider] { slider->setSpeed(10); }}},
        {tr("Step &back one entry"),
         {QKeySequence(tr("Alt+Left")), [slider] { slider->stepBy(-1); }}},
        {tr("Step &forward one entry"),
         {QKeySequence(tr("Alt+Right")), [slider] { slider->stepBy(1); }}},
        {tr("Back to &live"), {QKeySequence(tr("Alt+End")), [slider] { slider->goLive(); }}},
    };
    for (const auto& [text, binding] : replaySteps) {
        QAction* a = replay->addAction(text, binding.first, this, binding.second);
        window_.addAction(a);
    }

    QMenu* help = bar->addMenu(tr("&Help"));
    window_.addAction(help->addAction(tr("&User guide"), QKeySequence::HelpContents, this,
                                      [this] { showUserGuide(&window_); }));
    window_.addAction(help->addAction(tr("&Keyboard shortcuts"), QKeySequence(tr("Ctrl+/")), this,
                                      [this] { showKeyboardShortcuts(&window_); }));
    help->addSeparator();
    help->addAction(tr("&About socklens"), this, [this] {
        QMessageBox::about(
            &window_, tr("About socklens"),
            tr("<b>socklens %1</b><p>A live inspector for shared sockets: descriptor counts, "
               "option propagation and notification registrations, read from the OS.</p>"
               "<p>GPL-3.0-or-later.</p>")
                .arg(QApplication::applicationVersion()));
    });

    tools->addActions({newHelper, newWinsock, run, probeAction, save});
    tools->addAction(create->menuAction());
    tools->addSeparator();
    tools->addAction(kill);

    tickMenu_ = tick;
    createMenu_ = create;
    killAction_ = kill;
    gate(newHelper, Needs::Nothing);
    if (newWinsock->isEnabled()) // else it says what to install, whatever happens
        gate(newWinsock, Needs::Nothing);
    gate(kill, Needs::Process);
    gate(child, Needs::Process);
    gate(run, Needs::Nothing);
    gate(create->menuAction(), Needs::Process);
    for (QAction* a : create->actions())
        gate(a, Needs::Process);
    gate(duplicateMenu_->menuAction(), Needs::Descriptor);
    gate(handOffMenu_->menuAction(), Needs::Descriptor);
    gate(registerMenu_->menuAction(), Needs::Descriptor);
    gate(probeAction, Needs::Socket);
    for (QAction* a : descriptorActions_)
        gate(a, Needs::Descriptor);
}

void MainActions::fillProcessMenu(QMenu* menu, bool handOff) {
    menu->clear();
    const std::optional<DescriptorRef> current = window_.currentDescriptor();
    for (int row = 0; row < processes_.rowCount(); ++row) {
        const QModelIndex index = processes_.index(row, 0);
        if (!index.data(ProcessesModel::AliveRole).toBool() ||
            !index.data(ProcessesModel::HelperRole).toBool())
            continue;
        const ProcessId target(index.data(ProcessesModel::ProcessRole).toUInt());
        const bool same = current && current->process == target;
        if (handOff && same)
            continue; // handing off to yourself is a no-op
        QAction* a = menu->addAction(
            index.data().toString() + (same ? tr(" (dup in the same process)") : QString()), this,
            [this, target, handOff] {
                if (const auto descriptor = window_.currentDescriptor())
                    handOff ? window_.commands().handOff(*descriptor, target)
                            : window_.commands().duplicate(*descriptor, target);
            });
        a->setEnabled(current.has_value());
    }
    if (menu->isEmpty())
        menu->addAction(tr("(no other live helper)"))->setEnabled(false);
}

void MainActions::showDescriptorMenu(const DescriptorRef& descriptor,
                                     const QPoint& globalPosition) {
    Q_UNUSED(descriptor);
    refreshEnabled();
    QMenu menu(&window_);
    menu.addMenu(duplicateMenu_);
    menu.addMenu(handOffMenu_);
    menu.addMenu(registerMenu_);
    menu.addSeparator();
    for (QAction* a : descriptorActions_) {
        if (!registerMenu_->actions().contains(a))
            menu.addAction(a);
    }
    menu.exec(globalPosition);
}

void MainActions::gate(QAction* a, Needs needs) {
    gated_.push_back({a, needs, a->toolTip()});
}

std::optional<QString> MainActions::whyCommandsWait() const {
    if (auto refusal = window_.commands().refusal())
        return refusal;
    // In replay the views show the past; commands act on the present, so they wait for live.
    if (window_.session().replaying())
        return tr("Replay shows the past: go live (Alt+End) first — commands change the live "
                  "sockets, not the ones shown.");
    return std::nullopt;
}

void MainActions::showPaneMenu(ProcessPane& pane, const QPoint& globalPosition) {
    refreshEnabled();
    QMenu menu(&window_);
    createMenu_->setTitle(tr("&New socket here"));
    menu.addMenu(createMenu_);
    menu.addAction(killAction_);
    // This pane's process, whichever is current: the menu names it.
    const ProcessId process = pane.process();
    const ProcessState* state = window_.session().state().process(process);
    QAction* child = menu.addAction(
        tr("Start child of %1 inheriting its handles").arg(state ? qs(state->name) : QString()),
        &window_, [this, process] { window_.commands().startInheritingChild(process); });
    child->setObjectName(QStringLiteral("paneStartChild"));
    const std::optional<QString> wait = whyCommandsWait();
    child->setEnabled(!wait && state && state->helper && state->alive);
    child->setToolTip(wait ? *wait
                           : tr("A child that inherits every inheritable handle of this helper "
                                "(Winsock: CreateProcess with bInheritHandles; Linux: sockets "
                                "left open across exec); it ends after two minutes"));
    menu.addSeparator();
    menu.addAction(tr("&Hide pane"), &pane, &QWidget::hide);
    menu.exec(globalPosition);
    createMenu_->setTitle(tr("&New socket"));
}

void MainActions::refreshEnabled() {
    const std::optional<QString> wait = whyCommandsWait();
    for (const Gated& gated : gated_) {
        std::optional<QString> why = wait;
        if (!why && gated.needs == Needs::Descriptor && !window_.currentDescriptor())
            why = tr("Select a descriptor in a process pane first.");
        if (!why && gated.needs == Needs::Process && !window_.currentProcess().valid())
            why = tr("There is no live helper: start one first (Ctrl+Shift+N).");
        if (!why && gated.needs == Needs::Socket && !window_.selectedSocket().valid())
            why = tr("Select a socket first.");
        gated.action->setEnabled(!why);
        gated.action->setToolTip(why ? *why : gated.tip);
    }
}

QString MainActions::nextHelperName() const {
    int helpers = 0;
    for (const auto& [id, process] : window_.session().state().processes)
        helpers += process.helper ? 1 : 0;
    return QString(QChar(u'A' + helpers % 26)) +
           (helpers >= 26 ? QString::number(helpers / 26) : QString());
}

void MainActions::newHelper() {
    window_.commands().spawnHelper(nextHelperName(), window_.commands().defaultPlatform());
}

void MainActions::newWinsockHelper() {
    if (!startingWinsockHelper_.isEmpty())
        return; // one at a time: a second would only wait for the same Wine start-up
    startingWinsockHelper_ = nextHelperName();
    window_.statusBar()->showMessage(
        tr("Starting Winsock helper %1 under Wine… (the first start creates socklens's Wine "
           "prefix, which takes tens of seconds)")
            .arg(startingWinsockHelper_));
    window_.commands().spawnHelper(startingWinsockHelper_, Platform::WinsockWine);
}

void MainActions::endWinsockProgress() {
    if (startingWinsockHelper_.isEmpty())
        return;
    for (const auto& [id, process] : window_.session().state().processes) {
        if (process.platform == Platform::WinsockWine &&
            qs(process.name) == startingWinsockHelper_) {
            window_.statusBar()->showMessage(tr("Winsock helper %1 runs under Wine (pid %2)")
                                                 .arg(startingWinsockHelper_)
                                                 .arg(process.pid.value()),
                                             5000);
            startingWinsockHelper_.clear();
            return;
        }
    }
}

void MainActions::killHelper() {
    const ProcessId process = window_.currentProcess();
    const ProcessState* state = window_.session().state().process(process);
    if (!state)
        return;
    // Like a system monitor: a kill names its victim and waits for a yes.
    const auto answer = QMessageBox::question(
        &window_, tr("Kill helper"),
        tr("Kill helper %1 (pid %2) with SIGKILL?\n\nIts descriptors close at once; a socket "
           "another process holds stays open.")
            .arg(qs(state->name))
            .arg(state->pid.value()),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Yes)
        window_.commands().killHelper(process);
}

void MainActions::startInheritingChild() {
    const ProcessId process = window_.currentProcess();
    if (window_.session().state().process(process))
        window_.commands().startInheritingChild(process);
}

void MainActions::send() {
    const auto descriptor = window_.currentDescriptor();
    if (!descriptor)
        return;
    bool ok = false;
    const QString text = QInputDialog::getText(&window_, tr("Send"),
                                               tr("Text to send through the selected descriptor:"),
                                               QLineEdit::Normal, QStringLiteral("hello"), &ok);
    if (ok)
        window_.commands().send(*descriptor, text.toUtf8());
}

void MainActions::receive() {
    if (const auto descriptor = window_.currentDescriptor())
        window_.commands().receive(*descriptor);
}

void MainActions::close() {
    if (const auto descriptor = window_.currentDescriptor())
        window_.commands().close(*descriptor);
}

void MainActions::probe() {
    if (!window_.selectedSocket().valid()) {
        window_.messageBar().showError(tr("Select a socket to probe: its peer sends one byte."));
        return;
    }
    window_.commands().probe(window_.selectedSocket());
}

void MainActions::registerMask(EventMask mask) {
    if (const auto descriptor = window_.currentDescriptor())
        window_.commands().registerEvents(*descriptor, mask);
}

void MainActions::setTickRate(int hertz) {
    QSettings().setValue(QStringLiteral("engine/tickHz"), hertz);
    window_.commands().setTickInterval(std::chrono::milliseconds(1000 / std::max(hertz, 1)));
}

} // namespace socklens::ui
