#include "report_documents/pdf_report.h"

#include "report/report_file.h"
#include "report_documents/html_report.h"
#include "report_documents/pdf_layout.h"
#include "version.h"

#include <QFile>
#include <QPdfWriter>
#include <QUrl>

namespace socklens::reports {

namespace {
// Plots are drawn at three times their size: sharp when printed at the PDF's 300 dpi.
constexpr qreal kPlotScale = 3;
} // namespace

std::unique_ptr<QTextDocument> pdfDocument(const report::ReportInput& input,
                                           const report::ReportProgress& progress) {
    const std::vector<ReportPlot> plots = reportPlots(input);
    auto document = std::make_unique<QTextDocument>();
    for (const ReportPlot& plot : plots)
        document->addResource(QTextDocument::ImageResource,
                              QUrl(QStringLiteral("socklens-plot:") + plot.name),
                              plotImage(plot, kPlotScale));
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPointSizeF(8.5);
    document->setDefaultFont(font);
    document->setHtml(buildReportHtml(
        input, plots,
        [](const ReportPlot& plot) -> QString { // not a dangling QStringBuilder
            return QStringLiteral("socklens-plot:") + plot.name;
        },
        progress));
    // Pages in CSS pixels (96 per inch), the unit the plots' sizes are in; print() scales
    // them to the writer's resolution.
    paginate(*document, pdfPageLayout().paintRect(QPageLayout::Point).size() * (96.0 / 72.0));
    return document;
}

void writePdfReport(const report::ReportInput& input, const QString& path,
                    const report::ReportProgress& progress) {
    const std::unique_ptr<QTextDocument> document = pdfDocument(input, progress);
    // Written beside the target first: a failed export leaves an older report as it was.
    const QString partial = path + QStringLiteral(".part");
    {
        // Opened here, not by QPdfWriter, which would fail silently: the error names the cause.
        QFile file(partial);
        if (!file.open(QIODevice::WriteOnly))
            throw report::ReportError("cannot write the report " + path.toStdString() + ": " +
                                      file.errorString().toStdString());
        QPdfWriter writer(&file);
        writer.setTitle(document->metaInformation(QTextDocument::DocumentTitle));
        writer.setCreator(QStringLiteral("socklens ") + QString::fromLatin1(kVersion));
        writer.setResolution(300);
        writer.setPageLayout(pdfPageLayout());
        document->print(&writer);
    }
    QFile written(partial);
    if (written.size() == 0 || (QFile::exists(path) && !QFile::remove(path)) ||
        !written.rename(path)) {
        QFile::remove(partial);
        throw report::ReportError("cannot write the report " + path.toStdString() + ": " +
                                  written.errorString().toStdString());
    }
}

} // namespace socklens::reports
