// Builds the report's HTML section by section. Every "#N" it writes links to entry N in the
// appendix, which lists exactly the entries the report cites.
#pragma once

#include "report_documents/html_report.h"

#include <set>

namespace socklens::reports {

class HtmlReportBuilder {
public:
    HtmlReportBuilder(const report::ReportInput& input, const std::vector<ReportPlot>& plots,
                      const PlotSource& plotSource, const report::ReportProgress& progress);
    QString build();

private:
    // html_report_builder.cpp
    void facts();
    void claims();
    void scenarioSteps();
    void disagreements();
    void failures();
    void citedEntries();
    void section(const QString& id, const QString& title);
    void plot(const QString& name);
    // html_report_state_sections.cpp
    void processes();
    void sockets();
    void optionPropagation();
    // html_report_history_sections.cpp
    void registrations();
    void events();
    void handoffs();

    QString entryLink(Sequence at);
    QString entryLinks(const std::vector<Sequence>& entries);
    QString processName(ProcessId id) const;
    QString descriptorName(const DescriptorRef& ref) const;
    QString socketName(SocketId id) const; ///< with its colour swatch
    QString secondsAt(Sequence at) const;

    const report::ReportInput& input_;
    const State& state_;
    const std::vector<ReportPlot>& plots_;
    const PlotSource& plotSource_;
    const report::ReportProgress& progress_;
    std::set<Sequence> cited_;
    QString out_;
};

} // namespace socklens::reports
