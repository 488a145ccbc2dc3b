// The report as a paginated PDF: the HTML report's sections laid out by QTextDocument on A4
// landscape (pdf_layout.h), plots as high-resolution images. Needs a QGuiApplication (fonts);
// offscreen is enough.
#pragma once

#include "report/report_input.h"

#include <QString>
#include <QTextDocument>
#include <memory>

namespace socklens::reports {

/// The document the PDF prints, laid out on its pages (CSS pixels, 96 per inch).
std::unique_ptr<QTextDocument> pdfDocument(const report::ReportInput& input,
                                           const report::ReportProgress& progress = {});

/// Throws report::ReportError.
void writePdfReport(const report::ReportInput& input, const QString& path,
                    const report::ReportProgress& progress = {});

} // namespace socklens::reports
