#include "report_documents/html_report_builder.h"

#include "model/entry_text.h"
#include "report/claims.h"
#include "report/failures.h"
#include "report_documents/html_text.h"
#include "version.h"

#include <QDateTime>
#include <algorithm>
#include <iterator>

namespace socklens::reports {

namespace {

constexpr auto kStyle = R"(
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; font-size: 10pt; color: #222;
       max-width: 1100px; margin: 16px auto; padding: 0 12px; }
h1 { font-size: 18pt; margin-bottom: 4px; }
h2 { font-size: 13pt; margin-top: 22px; border-bottom: 1px solid #999; }
h3 { font-size: 11pt; margin-top: 12px; }
/* Printed from a browser: headings stay with their tables (the PDF: pdf_layout.cpp). */
h2, h3 { break-after: avoid; page-break-after: avoid; }
tr { break-inside: avoid; page-break-inside: avoid; }
table.data { border-collapse: collapse; border-color: #bbb; margin: 4px 0 10px 0; }
table.data th { background-color: #eeeeee; text-align: left; }
table.data td, table.data th { border: 1px solid #bbb; padding: 3px 6px; vertical-align: top; }
.demonstrated { color: #1b5e20; font-weight: bold; }
.failed { color: #b71c1c; font-weight: bold; }
.not-run { color: #777777; }
.not-shown { color: #8d6e00; font-weight: bold; }
.divergent { color: #6a1b9a; font-weight: bold; }
.none { color: #555555; font-style: italic; }
.mono { font-family: "DejaVu Sans Mono", monospace; }
.plot { margin: 6px 0 10px 0; }
a { color: #0b57d0; }
)";

QString dateOf(std::int64_t timeUs) {
    return QDateTime::fromMSecsSinceEpoch(timeUs / 1000)
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss t"));
}

} // namespace

HtmlReportBuilder::HtmlReportBuilder(const report::ReportInput& input,
                                     const std::vector<ReportPlot>& plots,
                                     const PlotSource& plotSource,
                                     const report::ReportProgress& progress)
    : input_(input)
    , state_(input.state)
    , plots_(plots)
    , plotSource_(plotSource)
    , progress_(progress) {}

QString HtmlReportBuilder::build() {
    const QString title =
        state_.scenario ? QObject::tr("socklens report: %1").arg(html::text(state_.scenario->name))
                        : QObject::tr("socklens report");
    out_ = QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
                          "<title>") +
           title + QStringLiteral("</title><style>") + QString::fromLatin1(kStyle) +
           QStringLiteral("</style></head><body>\n<h1>") + title + QStringLiteral("</h1>\n");
    facts();
    processes();
    sockets();
    optionPropagation();
    registrations();
    events();
    handoffs();
    claims();
    scenarioSteps();
    disagreements();
    failures();
    citedEntries();
    return out_ + QStringLiteral("</body></html>\n");
}

void HtmlReportBuilder::section(const QString& id, const QString& title) {
    out_ += QStringLiteral("<h2 id=\"") + id + QStringLiteral("\">") + html::text(title) +
            QStringLiteral("</h2>\n");
}

void HtmlReportBuilder::plot(const QString& name) {
    for (const ReportPlot& plot : plots_) {
        if (plot.name != name)
            continue;
        out_ += QStringLiteral("<p class=\"plot\"><img src=\"%1\" width=\"%2\" height=\"%3\" "
                               "alt=\"%4\"/></p>\n")
                    .arg(plotSource_(plot))
                    .arg(plot.size.width())
                    .arg(plot.size.height())
                    .arg(html::text(plot.title));
    }
}

void HtmlReportBuilder::facts() {
    const auto& journal = input_.journal;
    std::vector<QStringList> rows;
    rows.push_back({QObject::tr("socklens"),
                    html::text(QObject::tr("%1 (this report); the session was recorded by "
                                           "socklens %2 in session format %3")
                                   .arg(QString::fromLatin1(kVersion),
                                        QString::fromStdString(input_.session.socklensVersion))
                                   .arg(input_.session.formatVersion))});
    rows.push_back({QObject::tr("Report made"), html::text(dateOf(input_.generatedUs))});
    if (!journal.empty())
        rows.push_back(
            {QObject::tr("Session"),
             html::text(
                 QObject::tr("%1 to %2 (%3 s), %4 journal entries")
                     .arg(dateOf(journal.front().timeUs), dateOf(journal.back().timeUs))
                     .arg(double(journal.back().timeUs - journal.front().timeUs) / 1e6, 0, 'f', 3)
                     .arg(journal.size()))});
    rows.push_back({QObject::tr("Kernel"),
                    html::text(input_.session.kernel.empty()
                                   ? QObject::tr("unknown (the session file does not say)")
                                   : QString::fromStdString(input_.session.kernel))});
    if (const std::string wine = report::wineVersion(state_); !wine.empty())
        rows.push_back({QObject::tr("Winsock"),
                        html::text(QObject::tr("under %1").arg(QString::fromStdString(wine)))});
    if (state_.scenario) {
        QString result = QObject::tr("not finished");
        if (state_.scenarioResult)
            result = QString::fromStdString(state_.scenarioResult->summary);
        rows.push_back(
            {QObject::tr("Scenario"),
             html::text(QStringLiteral("%1 (%2): %3")
                            .arg(QString::fromStdString(state_.scenario->name),
                                 QString::fromStdString(state_.scenario->source), result))});
    }
    section(QStringLiteral("platform"), QObject::tr("Platform and session"));
    out_ += html::table({QObject::tr("What"), QObject::tr("Value")}, rows);
}

void HtmlReportBuilder::claims() {
    section(QStringLiteral("claims"), QObject::tr("Claims C1-C12"));
    if (state_.steps.empty()) {
        out_ += html::none(QObject::tr("No scenario ran in this session, so no claim was checked. "
                                       "Run a scenario (Session > Run scenario) to check them."));
        return;
    }
    out_ += QStringLiteral("<p>") +
            html::text(QObject::tr(
                "A claim is demonstrated when every scenario step tagged with it passed and "
                "their evidence holds at least one OS reading (what the OS returned: a count, an "
                "option or owner read back, a delivered notification, an OS call's error). "
                "\"not-shown\": the steps passed on socklens's own bookkeeping only; "
                "\"divergent\": they passed, but the platform was seen to behave otherwise "
                "(see Bookkeeping against observation).")) +
            QStringLiteral("</p>\n");
    std::vector<QStringList> rows;
    QStringList ids;
    for (const report::ClaimResult& claim : report::evaluateClaims(state_, input_.journal)) {
        const QString status = QString::fromUtf8(toString(claim.status).data(),
                                                 qsizetype(toString(claim.status).size()));
        std::vector<Sequence> other;
        std::set_difference(claim.evidence.begin(), claim.evidence.end(), claim.readings.begin(),
                            claim.readings.end(), std::back_inserter(other));
        rows.push_back({html::text(claim.id),
                        QStringLiteral("<span class=\"%1\">%1</span>").arg(status),
                        html::text(claim.summary), entryLinks(claim.readings), entryLinks(other)});
        ids << QStringLiteral("claim-") + QString::fromStdString(claim.id);
    }
    out_ += html::table({QObject::tr("Claim"), QObject::tr("Status"), QObject::tr("What it says"),
                         QObject::tr("OS readings"), QObject::tr("Steps and other entries")},
                        rows, ids);
}

void HtmlReportBuilder::scenarioSteps() {
    if (state_.steps.empty())
        return;
    section(QStringLiteral("steps"), QObject::tr("Scenario steps"));
    std::vector<QStringList> rows;
    for (const StepResult& step : state_.steps) {
        QStringList claims;
        for (const std::string& claim : step.claims)
            claims << QString::fromStdString(claim);
        rows.push_back({entryLink(step.at), QString::number(step.line), html::text(step.text),
                        step.running  ? QObject::tr("running")
                        : step.passed ? QStringLiteral("<span class=\"demonstrated\">passed</span>")
                                      : QStringLiteral("<span class=\"failed\">failed</span>"),
                        html::text(step.outcome), html::text(claims.join(QStringLiteral(", ")))});
    }
    out_ += html::table({QObject::tr("Entry"), QObject::tr("Line"), QObject::tr("Step"),
                         QObject::tr("Result"), QObject::tr("Outcome"), QObject::tr("Claims")},
                        rows);
}

void HtmlReportBuilder::disagreements() {
    section(QStringLiteral("disagreements"), QObject::tr("Bookkeeping against observation"));
    if (state_.disagreements.empty()) {
        out_ += html::none(QObject::tr("None: what the broker believed always matched what the "
                                       "OS showed."));
        return;
    }
    std::vector<QStringList> rows;
    for (const entry::Disagreement& d : state_.disagreements)
        rows.push_back({html::text(d.subject), html::text(d.believed), html::text(d.observed)});
    out_ += html::table(
        {QObject::tr("Subject"), QObject::tr("Believed"), QObject::tr("Observed (this won)")},
        rows);
}

void HtmlReportBuilder::failures() {
    section(QStringLiteral("failures"), QObject::tr("Failures"));
    const std::vector<report::Failure> found = report::failuresOf(input_.journal);
    if (found.empty()) {
        out_ += html::none(QObject::tr("None: every command succeeded and no helper ended."));
        return;
    }
    std::vector<QStringList> rows;
    for (const report::Failure& failure : found)
        rows.push_back({entryLink(failure.at), html::text(failure.kind), html::text(failure.what),
                        html::text(failure.call.empty() ? std::string("-") : failure.call),
                        html::text(failure.code), html::text(failure.sentence)});
    out_ += html::table({QObject::tr("Entry"), QObject::tr("Kind"), QObject::tr("What"),
                         QObject::tr("OS call"), QObject::tr("Code"), QObject::tr("Why")},
                        rows);
}

void HtmlReportBuilder::citedEntries() {
    section(QStringLiteral("journal"), QObject::tr("Journal entries cited"));
    out_ += QStringLiteral("<p>") +
            html::text(QObject::tr("The entries this report refers to, as the journal has them. "
                                   "The whole journal is the session file (and the CSV report).")) +
            QStringLiteral("</p>\n");
    std::vector<QStringList> rows;
    QStringList ids;
    State state; // each entry's text names things as they were when it was journaled
    const std::size_t total = input_.journal.size();
    for (std::size_t i = 0; i < total; ++i) {
        const JournalEntry& entry = input_.journal[i];
        apply(state, entry);
        if (progress_ && i % 1024 == 0)
            progress_(i, total);
        if (!cited_.contains(entry.sequence))
            continue;
        const QString id = QStringLiteral("e%1").arg(entry.sequence.value());
        rows.push_back(
            {QStringLiteral("<a id=\"%1\" name=\"%1\">#%2</a>").arg(id).arg(entry.sequence.value()),
             secondsAt(entry.sequence),
             html::text(std::string(toString(categoryOf(entry.payload)))),
             html::text(describeEntry(entry, state))});
    }
    if (rows.empty()) {
        out_ += html::none(QObject::tr("No entry is cited."));
        return;
    }
    out_ += html::table({QObject::tr("Entry"), QObject::tr("Seconds"), QObject::tr("Kind"),
                         QObject::tr("What happened")},
                        rows);
}

QString HtmlReportBuilder::entryLink(Sequence at) {
    if (!at.valid())
        return QStringLiteral("-");
    cited_.insert(at);
    return QStringLiteral("<a href=\"#e%1\">#%1</a>").arg(at.value());
}

QString HtmlReportBuilder::entryLinks(const std::vector<Sequence>& entries) {
    QStringList links;
    for (const Sequence at : entries)
        links << entryLink(at);
    return links.isEmpty() ? QStringLiteral("-") : links.join(QLatin1Char(' '));
}

QString HtmlReportBuilder::processName(ProcessId id) const {
    const ProcessState* process = state_.process(id);
    return process ? html::text(process->name) : QStringLiteral("P%1").arg(id.value());
}

QString HtmlReportBuilder::descriptorName(const DescriptorRef& ref) const {
    if (!ref.process.valid())
        return QStringLiteral("-");
    return processName(ref.process) + QLatin1Char(':') + QString::number(ref.handle.value());
}

QString HtmlReportBuilder::socketName(SocketId id) const {
    return QStringLiteral("<span style=\"color:%1\">&#9632;</span>&#160;S%2")
        .arg(socketColour(id).name())
        .arg(id.value());
}

QString HtmlReportBuilder::secondsAt(Sequence at) const {
    const std::uint64_t index = at.value() - 1;
    if (input_.journal.empty() || index >= input_.journal.size())
        return QStringLiteral("-");
    return QString::number(
        double(input_.journal[index].timeUs - input_.journal.front().timeUs) / 1e6, 'f', 3);
}

QString buildReportHtml(const report::ReportInput& input, const std::vector<ReportPlot>& plots,
                        const PlotSource& plotSource, const report::ReportProgress& progress) {
    return HtmlReportBuilder(input, plots, plotSource, progress).build();
}

} // namespace socklens::reports
