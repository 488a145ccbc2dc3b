// Handoff steps stay in step order (1..10) in the reports and the handoff view, even when
// the journal interleaves two duplications and a step is journaled after a later one.
#include "model/journal.h"
#include "models/handoff_steps_model.h"
#include "models/session.h"
#include "report/handoff_order.h"
#include "report/json_report.h"
#include "report_documents/html_report.h"

#include <QAbstractItemModelTester>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace socklens;
using namespace socklens::ui;

namespace {

const ProcessId kA(1);
const ProcessId kB(2);
const DuplicationId kD1(1);
const DuplicationId kD2(2);

entry::HandoffStep step(DuplicationId duplication, int number) {
    // Designated: the step's actor is not this test's concern.
    return entry::HandoffStep{.duplication = duplication,
                              .step = number,
                              .text = "D" + std::to_string(duplication.value()) + " step " +
                                      std::to_string(number)};
}

/// D1 and D2 interleaved; D1's step 3 and D2's step 2 are journaled late. Each step's
/// time is when it happened: 1000 µs per step number, D2 500 µs behind D1.
std::vector<JournalEntry> interleaved() {
    Journal journal;
    journal.append(entry::ProcessStarted{kA, OsPid(100), "A", Platform::Linux, true, {}, {}});
    journal.append(entry::ProcessStarted{kB, OsPid(200), "B", Platform::Linux, true, {}, {}});
    journal.append(entry::DuplicationStarted{kD1, SocketId(1), {kA, Handle(3)}, kB});
    journal.append(entry::DuplicationStarted{kD2, SocketId(1), {kA, Handle(3)}, kB});
    for (const auto& [duplication, number] : std::vector<std::pair<DuplicationId, int>>{
             {kD1, 1}, {kD2, 1}, {kD1, 2}, {kD2, 3}, {kD1, 4}, {kD1, 3}, {kD2, 2}, {kD2, 4}})
        journal.append(step(duplication, number));
    std::vector<JournalEntry> entries(journal.entries().begin(), journal.entries().end());
    for (JournalEntry& entry : entries) {
        entry.timeUs = 0;
        if (const auto* s = std::get_if<entry::HandoffStep>(&entry.payload))
            entry.timeUs = s->step * 1000 + (s->duplication == kD2 ? 500 : 0);
    }
    return entries;
}

std::vector<int> numbers(const std::vector<HandoffStepState>& steps) {
    std::vector<int> out;
    for (const HandoffStepState& s : steps)
        out.push_back(s.step);
    return out;
}

const std::vector<int> kOneToFour{1, 2, 3, 4};

} // namespace

TEST(HandoffOrder, TheJournalInterleavesButEachDuplicationReadsOneToFour) {
    const std::vector<JournalEntry> entries = interleaved();
    const State state = fold(entries);
    ASSERT_EQ(numbers(state.duplications.at(kD1).steps), (std::vector<int>{1, 2, 4, 3}))
        << "the fold keeps journal order; the test needs a late step";
    EXPECT_EQ(numbers(report::stepsInOrder(state.duplications.at(kD1))), kOneToFour);
    EXPECT_EQ(numbers(report::stepsInOrder(state.duplications.at(kD2))), kOneToFour);
}

TEST(HandoffOrder, TheJsonReportListsStepsInStepOrder) {
    const std::vector<JournalEntry> entries = interleaved();
    const State state = fold(entries);
    const nlohmann::json report =
        report::buildJsonReport(report::ReportInput{entries, state, {}, 0});
    ASSERT_EQ(report.at("handoffs").size(), 2u);
    for (const nlohmann::json& handoff : report.at("handoffs")) {
        std::vector<int> seen;
        for (const nlohmann::json& s : handoff.at("steps"))
            seen.push_back(s.at("step").get<int>());
        EXPECT_EQ(seen, kOneToFour) << "duplication " << handoff.at("id");
    }
}

TEST(HandoffOrder, TheHtmlAndPdfTablesListStepsInStepOrder) {
    const std::vector<JournalEntry> entries = interleaved();
    const State state = fold(entries);
    // The PDF is made from the same HTML.
    const QString html =
        reports::buildReportHtml(report::ReportInput{entries, state, {}, 0}, {},
                                 [](const reports::ReportPlot&) { return QString(); });
    for (const int d : {1, 2}) {
        const qsizetype section = html.indexOf(QStringLiteral("id=\"handoff-D%1\"").arg(d));
        ASSERT_GE(section, 0);
        qsizetype previous = section;
        for (const int n : kOneToFour) {
            const qsizetype at = html.indexOf(QStringLiteral("D%1 step %2").arg(d).arg(n), section);
            EXPECT_GT(at, previous) << "D" << d << " step " << n;
            previous = at;
        }
    }
}

TEST(HandoffOrder, TheHandoffViewShowsStepsByNumberTimedFromTheFirst) {
    Session session;
    HandoffStepsModel model(session);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    session.append(interleaved());
    model.setDuplication(kD1);
    ASSERT_EQ(model.rowCount(), 10);
    for (const int n : kOneToFour) {
        EXPECT_EQ(model.index(n - 1, HandoffStepsModel::WhatColumn).data().toString(),
                  QStringLiteral("D1 step %1").arg(n));
        // Step 3 happened 2 ms after step 1, whenever it reached the journal.
        EXPECT_EQ(model.index(n - 1, HandoffStepsModel::TimeColumn).data().toString(),
                  QStringLiteral("+%1.00 ms").arg(n - 1));
    }
    model.setDuplication(kD2);
    EXPECT_EQ(model.index(1, HandoffStepsModel::WhatColumn).data().toString(),
              QStringLiteral("D2 step 2"));
    EXPECT_EQ(model.index(0, HandoffStepsModel::TimeColumn).data().toString(),
              QStringLiteral("+0.00 ms"));
}
