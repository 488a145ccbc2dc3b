#include "widgets/application.h"

#include "models/engine.h"
#include "models/session.h"
#include "scenario/scenario.h"
#include "widgets/main_window.h"
#include "widgets/message_bar.h"
#include "widgets/plot.h"

#include <QApplication>
#include <QEventLoop>
#include <QPixmap>
#include <QTimer>
#include <cstdio>

// The resources live in a static library, so they are registered by hand; the macro only
// works outside any namespace.
static void initResources() {
    Q_INIT_RESOURCE(socklens);
}

namespace socklens::ui {

namespace {

/// Two helpers and a connected TCP pair in the first, so the first drag works at once.
void startSession(Engine& engine) {
    engine.spawnHelperWithSocket(QStringLiteral("A"), SocketKind::TcpPair);
    engine.spawnHelper(QStringLiteral("B"), engine.defaultPlatform());
}

bool saveScreenshot(MainWindow& window, Engine& engine, const QString& path) {
    // Generous: the first Winsock helper creates a Wine prefix, which takes tens of seconds.
    engine.waitIdle(std::chrono::minutes(3));
    // Plots redraw on a throttle (kPlotRefreshInterval); give them one round before the grab.
    QEventLoop settle;
    QTimer::singleShot(2 * kPlotRefreshInterval, &settle, &QEventLoop::quit);
    settle.exec();
    const QPixmap shot = window.grab();
    if (!shot.save(path, "PNG")) {
        std::fprintf(stderr, "socklens: cannot write the screenshot %s\n", qPrintable(path));
        return false;
    }
    std::printf("socklens: screenshot written to %s (%dx%d)\n", qPrintable(path), shot.width(),
                shot.height());
    return true;
}

} // namespace

bool displayAvailable() {
    return !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") ||
           !qEnvironmentVariableIsEmpty("DISPLAY") ||
           !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}

int runApplication(const LaunchOptions& options) {
    initResources();
    broker::BrokerOptions brokerOptions;
    brokerOptions.helperPath = options.helperPath.toStdString();
    brokerOptions.backend = options.backend;
    Session session;
    Engine engine(session, brokerOptions);
    MainWindow window(session, engine);
    if (!options.view.isEmpty() && !window.showView(options.view)) {
        std::fprintf(stderr,
                     "socklens: unknown view '%s': choose timeline, counts, handoff or journal\n",
                     qPrintable(options.view));
        return 2;
    }
    window.show();

    int exitCode = 0;
    auto finish = [&] {
        if (options.replayAt >= 0) {
            engine.waitIdle(std::chrono::minutes(3));
            session.replayTo(options.replayAt);
        }
        if (!options.screenshot.isEmpty()) {
            exitCode = saveScreenshot(window, engine, options.screenshot) ? 0 : 1;
            QApplication::quit();
        }
    };
    const bool attaching = !options.attachPids.empty() || options.attachPort > 0;
    if (attaching) {
        for (const std::int64_t pid : options.attachPids)
            engine.attach({broker::AttachTarget::Kind::Pid, std::uint64_t(pid)});
        if (options.attachPort > 0)
            engine.attach({broker::AttachTarget::Kind::Port, std::uint64_t(options.attachPort)});
        QTimer::singleShot(0, &window, finish);
    } else if (options.demo.isEmpty()) {
        startSession(engine);
        QTimer::singleShot(0, &window, finish);
    } else {
        try {
            engine.runScenario(scenario::loadScenario("builtin:" + options.demo.toStdString()));
            QObject::connect(&engine, &Engine::scenarioFinished, &window,
                             [&](bool, const QString&) {
                                 if (!session.state().sockets.empty())
                                     window.selectSocket(session.state().sockets.begin()->first);
                                 finish();
                             });
        } catch (const scenario::ScenarioError& error) {
            std::fprintf(stderr, "socklens: %s\n", error.what());
            return 2;
        }
    }
    const int eventLoopCode = QApplication::exec();
    return exitCode ? exitCode : eventLoopCode;
}

} // namespace socklens::ui
