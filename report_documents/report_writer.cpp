#include "report_documents/report_writer.h"

#include "report/report_file.h"
#include "report_documents/html_report.h"
#include "report_documents/pdf_report.h"

namespace socklens::reports {

void writeReport(report::ReportFormat format, const report::ReportInput& input,
                 const std::string& path, const report::ReportProgress& progress) {
    switch (format) {
    case report::ReportFormat::Html:
        writeHtmlReport(input, QString::fromStdString(path), progress);
        return;
    case report::ReportFormat::Pdf:
        writePdfReport(input, QString::fromStdString(path), progress);
        return;
    case report::ReportFormat::Json:
    case report::ReportFormat::Csv:
        report::writeCoreReport(format, input, path, progress);
        return;
    }
}

} // namespace socklens::reports
