// The main window over Winsock helpers (socklens-helper.exe under Wine), as `socklens
// --backend winsock` shows them. Needs Wine: these tests carry the winsock label.
#include "models/engine.h"
#include "models/session.h"
#include "scenario/scenario.h"
#include "widgets/main_window.h"
#include "widgets/message_bar.h"

#include <QAction>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>
#include <gtest/gtest.h>

using namespace socklens;
using namespace socklens::ui;

namespace {

broker::BrokerOptions winsockOptions() {
    broker::BrokerOptions options;
    options.helperPath = SOCKLENS_HELPER_PATH;
    options.winsockHelperPath = SOCKLENS_WINSOCK_HELPER_PATH;
    options.backend = Platform::WinsockWine;
    return options;
}

/// The built-in tour, run live on Winsock helpers in a shown main window.
struct WinsockTour : ::testing::Test {
    Session session;
    Engine engine{session, winsockOptions()};
    MainWindow window{session, engine};

    void SetUp() override {
        if (const auto why = broker::winsockUnavailable(SOCKLENS_WINSOCK_HELPER_PATH))
            FAIL() << "Winsock helpers cannot run here: " << *why;
        window.show();
        QSignalSpy finished(&engine, &Engine::scenarioFinished);
        engine.runScenario(scenario::loadScenario("builtin:tour"));
        // The first Winsock helper may create the Wine prefix: tens of seconds.
        ASSERT_TRUE(finished.wait(180000)) << "the tour did not finish";
        ASSERT_TRUE(finished.front().front().toBool())
            << finished.front().back().toString().toStdString();
        ASSERT_TRUE(engine.waitIdle(std::chrono::seconds(20)));
    }

    ProcessId process(const std::string& name) const {
        for (const auto& [id, process] : session.state().processes) {
            if (process.name == name)
                return id;
        }
        return ProcessId();
    }
};

} // namespace

TEST_F(WinsockTour, PanesSayWinsockAndTheHandoffViewShowsTheProtocolInfo) {
    int winsockHeaders = 0;
    for (const QLabel* label : window.findChildren<QLabel*>())
        winsockHeaders += label->text().contains(QStringLiteral("Winsock (Wine)")) ? 1 : 0;
    EXPECT_EQ(winsockHeaders, 2);

    ASSERT_FALSE(session.state().duplications.empty());
    window.selectDuplication(session.state().duplications.begin()->first);
    ASSERT_TRUE(window.showView(QStringLiteral("handoff")));
    const auto* detail = window.findChild<QPlainTextEdit*>();
    ASSERT_NE(detail, nullptr);
    // The view opens on the step with the WSAPROTOCOL_INFO: its fields by name, then its bytes.
    const QString text = detail->toPlainText();
    EXPECT_TRUE(text.contains(QStringLiteral("WSADuplicateSocket"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("iAddressFamily 2 (AF_INET)"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("628 bytes:"))) << text.toStdString();
}

TEST_F(WinsockTour, ADuplicateIntoALinuxHelperIsRefusedInTheMessageBar) {
    engine.spawnHelper(QStringLiteral("linux"), Platform::Linux);
    ASSERT_TRUE(engine.waitIdle(std::chrono::seconds(60)));
    const ProcessId linuxHelper = process("linux");
    ASSERT_TRUE(linuxHelper.valid());
    DescriptorRef winsockDescriptor;
    for (const auto& [ref, descriptor] : session.state().descriptors) {
        if (ref.process == process("A") && descriptor.open)
            winsockDescriptor = ref;
    }
    ASSERT_TRUE(winsockDescriptor.process.valid());

    engine.duplicate(winsockDescriptor, linuxHelper);
    EXPECT_TRUE(QTest::qWaitFor(
        [&] { return window.messageBar().text().contains(QStringLiteral("different kernels")); },
        20000))
        << window.messageBar().text().toStdString();
}

TEST_F(WinsockTour, NewWinsockHelperIsOfferedWhenWineIsThere) {
    QAction* found = nullptr;
    for (QAction* action : window.findChildren<QAction*>()) {
        if (action->text().contains(QStringLiteral("Winsock helper")))
            found = action;
    }
    ASSERT_NE(found, nullptr);
    EXPECT_TRUE(found->isEnabled()) << found->toolTip().toStdString();
    const std::size_t before = session.state().processes.size();
    found->trigger();
    EXPECT_TRUE(
        QTest::qWaitFor([&] { return session.state().processes.size() == before + 1; }, 60000));
    EXPECT_EQ(session.state().processes.rbegin()->second.platform, Platform::WinsockWine);
}

// Without Wine or the .exe, the action stays in the menu, disabled, and says what to install.
TEST(WinsockAction, IsDisabledAndSaysWhatIsMissingWhenTheHelperCannotRun) {
    broker::BrokerOptions options;
    options.helperPath = SOCKLENS_HELPER_PATH;
    options.winsockHelperPath = "/nonexistent/socklens-helper.exe";
    Session session;
    Engine engine(session, options);
    MainWindow window(session, engine);
    QAction* found = nullptr;
    for (QAction* action : window.findChildren<QAction*>()) {
        if (action->text().contains(QStringLiteral("Winsock helper")))
            found = action;
    }
    ASSERT_NE(found, nullptr);
    EXPECT_FALSE(found->isEnabled());
    EXPECT_TRUE(found->toolTip().contains(QStringLiteral("/nonexistent/socklens-helper.exe")))
        << found->toolTip().toStdString();
    EXPECT_TRUE(found->toolTip().contains(QStringLiteral("mingw-w64")))
        << found->toolTip().toStdString();
}
