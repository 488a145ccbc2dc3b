// The report as one HTML document: platform, processes, sockets and their counts, option
// propagation, registrations and events, handoffs, the claims C1-C12 linked to the journal
// entries that show them. The HTML file and the PDF are both made from it.
#pragma once

#include "report/report_input.h"
#include "report_documents/report_plot.h"

#include <QString>
#include <functional>

namespace socklens::reports {

/// The src of a plot's <img>: a data URI for the HTML file, a resource name for the PDF.
using PlotSource = std::function<QString(const ReportPlot& plot)>;

/// Well-formed (XML-parsable) HTML that refers to nothing outside itself but what
/// `plotSource` returns.
QString buildReportHtml(const report::ReportInput& input, const std::vector<ReportPlot>& plots,
                        const PlotSource& plotSource, const report::ReportProgress& progress = {});

/// One self-contained file: styles inline, plots as SVG data URIs. Throws report::ReportError.
void writeHtmlReport(const report::ReportInput& input, const QString& path,
                     const report::ReportProgress& progress = {});

} // namespace socklens::reports
