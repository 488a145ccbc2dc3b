// The report as a paginated PDF: the HTML report's sections laid out by QTextDocument on A4,
// plots as high-resolution images. Needs a QGuiApplication (fonts); offscreen is enough.
#pragma once

#include "report/report_input.h"

#include <QString>

namespace socklens::reports {

/// Throws report::ReportError.
void writePdfReport(const report::ReportInput& input, const QString& path,
                    const report::ReportProgress& progress = {});

} // namespace socklens::reports
