// Which journal entries reach the message bar: failures nobody asked for, not the ones a
// scenario step provokes on purpose.
#include "live_session.h"
#include "scenario/scenario.h"

#include <QSignalSpy>
#include <gtest/gtest.h>

using namespace socklens;
using namespace socklens::ui;
using socklens::testing::LiveSession;

TEST(SessionProblems, AScenariosExpectedFailuresAndKillsAreNotReported) {
    LiveSession live;
    QSignalSpy problems(&live.session, &Session::problem);
    QSignalSpy finished(&live.engine, &Engine::scenarioFinished);
    // claim-c12 fails three calls on purpose; claim-c6 kills a helper.
    live.engine.runScenario(scenario::loadScenario("builtin:claim-c12"));
    ASSERT_TRUE(finished.wait(20000));
    ASSERT_TRUE(finished.back().front().toBool());
    live.engine.runScenario(scenario::loadScenario("builtin:claim-c6"));
    ASSERT_TRUE(finished.wait(20000));
    ASSERT_TRUE(finished.back().front().toBool());
    ASSERT_TRUE(live.settle());
    EXPECT_EQ(problems.count(), 0) << problems.front().front().toString().toStdString();
}

TEST(SessionProblems, AFailedCommandOutsideAScenarioIsReported) {
    LiveSession live;
    QSignalSpy problems(&live.session, &Session::problem);
    live.engine.spawnHelper(QStringLiteral("A"), Platform::Linux);
    ASSERT_TRUE(live.settle());
    const ProcessId a = live.process("A");
    live.engine.close(DescriptorRef{a, Handle(999)});
    ASSERT_TRUE(live.settle());
    ASSERT_EQ(problems.count(), 1);
    EXPECT_TRUE(problems.front().front().toString().contains(QStringLiteral("999")))
        << problems.front().front().toString().toStdString();
}
