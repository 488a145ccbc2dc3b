#include "report_documents/html_report.h"

#include "report/report_file.h"

#include <QSaveFile>

namespace socklens::reports {

void writeHtmlReport(const report::ReportInput& input, const QString& path,
                     const report::ReportProgress& progress) {
    const std::vector<ReportPlot> plots = reportPlots(input);
    const QString html = buildReportHtml(
        input, plots,
        [](const ReportPlot& plot) -> QString { // not a dangling QStringBuilder
            return QStringLiteral("data:image/svg+xml;base64,") +
                   QString::fromLatin1(plotSvg(plot).toBase64());
        },
        progress);
    // QSaveFile: a failed export leaves an older report at `path` as it was.
    QSaveFile file(path);
    const QByteArray bytes = html.toUtf8();
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        throw report::ReportError("cannot write the report " + path.toStdString() + ": " +
                                  file.errorString().toStdString());
}

} // namespace socklens::reports
