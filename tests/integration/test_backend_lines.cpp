// A scenario line for another backend is shown as not run and demonstrates nothing.
#include "broker/broker.h"
#include "report/claims.h"
#include "scenario/scenario_runner.h"

#include <gtest/gtest.h>

using namespace socklens;

TEST(BackendLines, AnotherBackendsLineIsShownAsNotRunAndProvesNothing) {
    broker::BrokerOptions options;
    options.helperPath = SOCKLENS_HELPER_PATH;
    broker::Broker broker(options);
    scenario::ScenarioRunner runner(broker,
                                    scenario::parseScenario("spawn a\n"
                                                            "create a udp as u\n"
                                                            "winsock: expect count u == 7   [C8]\n"
                                                            "linux: expect count u == 1     [C6]\n",
                                                            "lines", "lines.scenario"));
    const scenario::RunResult result = runner.run();
    EXPECT_TRUE(result.passed) << result.firstFailure;

    const std::vector<StepResult>& steps = broker.state().steps;
    ASSERT_EQ(steps.size(), 4u);
    EXPECT_EQ(steps[2].outcome, "not run: this line is for the Winsock (Wine) backend, and this "
                                "run uses Linux");
    EXPECT_TRUE(steps[2].claims.empty());
    EXPECT_EQ(steps[3].outcome, "as expected: count u == 1 (observed 1)");
    std::map<std::string, report::ClaimStatus> claims;
    for (const report::ClaimResult& claim : report::evaluateClaims(broker.state(), broker.journal().entries()))
        claims[claim.id] = claim.status;
    EXPECT_EQ(claims["C8"], report::ClaimStatus::NotRun);
    EXPECT_EQ(claims["C6"], report::ClaimStatus::Demonstrated);
}
