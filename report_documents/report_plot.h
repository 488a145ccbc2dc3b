// A plot of the report and its two renderings: SVG for the HTML file, an image for the PDF.
#pragma once

#include "report/report_input.h"
#include "report_documents/plot_frame.h"

#include <QByteArray>
#include <QImage>
#include <QSize>
#include <QString>
#include <vector>

namespace socklens::reports {

struct ReportPlot {
    QString name;  ///< "counts", "registrations": unique in a report
    QString title; ///< what the image shows, its alt text
    QSize size;    ///< in CSS pixels
    PlotPainter paint;
};

/// The report's plots; they keep a reference to `input`.
std::vector<ReportPlot> reportPlots(const report::ReportInput& input);
QByteArray plotSvg(const ReportPlot& plot);
/// Rendered at `scale` times its size, for print.
QImage plotImage(const ReportPlot& plot, qreal scale);

} // namespace socklens::reports
