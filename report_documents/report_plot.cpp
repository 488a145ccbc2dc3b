#include "report_documents/report_plot.h"

#include "report_documents/count_plot_painter.h"
#include "report_documents/registration_plot_painter.h"

#include <QBuffer>
#include <QSvgGenerator>

namespace socklens::reports {

std::vector<ReportPlot> reportPlots(const report::ReportInput& input) {
    return {
        {QStringLiteral("counts"), QObject::tr("Descriptor count of each socket over time"),
         QSize(680, 250), countPlot(input)},
        {QStringLiteral("registrations"),
         QObject::tr("Registration owner per process, cancellations and delivered events"),
         QSize(680, 210), registrationPlot(input)},
    };
}

QByteArray plotSvg(const ReportPlot& plot) {
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(plot.size);
    generator.setViewBox(QRect(QPoint(0, 0), plot.size));
    generator.setTitle(plot.title);
    QPainter painter(&generator);
    plot.paint(painter, QRectF(QPointF(0, 0), plot.size));
    painter.end();
    return buffer.data();
}

QImage plotImage(const ReportPlot& plot, qreal scale) {
    QImage image(plot.size * scale, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.scale(scale, scale);
    plot.paint(painter, QRectF(QPointF(0, 0), plot.size));
    return image;
}

} // namespace socklens::reports
