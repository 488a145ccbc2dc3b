#include "report_checks.h"

#include <QFile>
#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QXmlStreamReader>

namespace socklens::testing {

namespace {

/// Runs a poppler tool; its stdout, or a null array (and `problem` set) when it failed.
QByteArray runTool(const QString& program, const QStringList& arguments, std::string& problem) {
    QProcess tool;
    tool.start(program, arguments);
    if (!tool.waitForFinished(60000) || tool.exitStatus() != QProcess::NormalExit ||
        tool.exitCode() != 0) {
        problem = program.toStdString() +
                  " failed (install poppler-utils): " + tool.readAllStandardError().toStdString() +
                  tool.errorString().toStdString();
        return {};
    }
    return tool.readAllStandardOutput();
}

/// Share of pixels in `area` that are not white, and how many colours they have.
std::pair<double, int> inkOf(const QImage& image, const QRect& area) {
    int ink = 0;
    QSet<QRgb> colours;
    const QRect clipped = area.intersected(image.rect());
    for (int y = clipped.top(); y <= clipped.bottom(); ++y) {
        for (int x = clipped.left(); x <= clipped.right(); ++x) {
            const QRgb pixel = image.pixel(x, y);
            if (qRed(pixel) < 235 || qGreen(pixel) < 235 || qBlue(pixel) < 235) {
                ++ink;
                colours.insert(pixel & 0xF0F0F0); // near colours count once
            }
        }
    }
    const double pixels = double(std::max(1, clipped.width() * clipped.height()));
    return {ink / pixels, int(colours.size())};
}

} // namespace

const QStringList& reportSectionTitles() {
    static const QStringList titles{QStringLiteral("Platform and session"),
                                    QStringLiteral("Processes"),
                                    QStringLiteral("Sockets and their descriptor counts"),
                                    QStringLiteral("Descriptor counts over time"),
                                    QStringLiteral("Option propagation"),
                                    QStringLiteral("Notification registrations"),
                                    QStringLiteral("Delivered events"),
                                    QStringLiteral("Handoff sequences"),
                                    QStringLiteral("Claims C1-C12"),
                                    QStringLiteral("Journal entries cited")};
    return titles;
}

std::string problemsOfHtmlReport(const QString& path, const State& state) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return "cannot open " + path.toStdString();
    const QByteArray bytes = file.readAll();
    const QString parsed = QString::fromUtf8(bytes);
    QXmlStreamReader xml(parsed);
    QSet<QString> ids;
    QStringList links;
    QString headings;
    bool inHeading = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const QString name = xml.name().toString();
            if (name == u"script" || name == u"link" || name == u"iframe" || name == u"object")
                return "the report has a <" + name.toStdString() + "> element";
            const auto attributes = xml.attributes();
            if (attributes.hasAttribute(QStringLiteral("id")))
                ids.insert(attributes.value(QStringLiteral("id")).toString());
            for (const char* reference : {"src", "href"}) {
                const QString value = attributes.value(QLatin1String(reference)).toString();
                if (!value.isEmpty())
                    links << value;
            }
            if (attributes.hasAttribute(QStringLiteral("style")) &&
                attributes.value(QStringLiteral("style")).contains(QStringLiteral("url(")))
                return "an inline style loads a url()";
            inHeading = name.size() == 2 && name.startsWith(u'h');
        } else if (xml.isCharacters() && inHeading) {
            headings += xml.text() + QLatin1Char('\n');
        } else if (xml.isEndElement()) {
            inHeading = false;
        }
    }
    if (xml.hasError())
        return "the HTML is not well-formed at line " + std::to_string(xml.lineNumber()) + ": " +
               xml.errorString().toStdString() + " near: " +
               parsed.split(QLatin1Char('\n'))
                   .value(xml.lineNumber() - 1)
                   .mid(std::max<qint64>(0, xml.columnNumber() - 60), 80)
                   .toStdString();
    for (const QString& link : links) {
        if (link.startsWith(u'#')) {
            if (!ids.contains(link.mid(1)))
                return "the link " + link.toStdString() + " has no target";
        } else if (!link.startsWith(u"data:")) {
            return "the report refers to " + link.left(80).toStdString();
        }
    }
    for (const auto& [id, socket] : state.sockets) {
        if (!ids.contains(QStringLiteral("socket-S%1").arg(id.value())))
            return "socket S" + std::to_string(id.value()) + " has no row";
    }
    for (int claim = 1; claim <= 12; ++claim) {
        if (!ids.contains(QStringLiteral("claim-C%1").arg(claim)))
            return "claim C" + std::to_string(claim) + " has no row";
    }
    for (const QString& title : reportSectionTitles()) {
        if (!headings.contains(title))
            return "no heading " + title.toStdString();
    }
    if (bytes.count("data:image/svg+xml;base64,") < 2)
        return "the two plots are not embedded as SVG";
    return {};
}

std::string problemsOfPdfReport(const QString& path) {
    std::string problem;
    // NFKC: PDF fonts set "fi" as a ligature, which pdftotext returns as one character.
    const QString text =
        QString::fromUtf8(runTool(QStringLiteral("pdftotext"),
                                  {QStringLiteral("-layout"), path, QStringLiteral("-")}, problem))
            .normalized(QString::NormalizationForm_KC);
    if (!problem.empty())
        return problem;
    for (const QString& title : reportSectionTitles()) {
        if (!text.contains(title))
            return "pdftotext finds no " + title.toStdString();
    }
    for (int claim = 1; claim <= 12; ++claim) {
        // A row of the claims table: the id, then its status.
        const QRegularExpression row(
            QStringLiteral("C%1\\s+(demonstrated|failed|not-run)").arg(claim));
        if (!row.match(text).hasMatch())
            return "the claims table has no row for C" + std::to_string(claim);
    }

    // Where the count plot is: right below its heading, or at the top of the next page.
    const QString boxes =
        QString::fromUtf8(runTool(QStringLiteral("pdftotext"),
                                  {QStringLiteral("-bbox"), path, QStringLiteral("-")}, problem));
    if (!problem.empty())
        return problem;
    const QRegularExpression heading(QString::fromUtf8(
        R"re(yMax="([\d.]+)">Descriptor</word>\s*<word[^>]*>counts</word>\s*<word[^>]*>over</word>)re"));
    const qsizetype at = boxes.indexOf(heading);
    if (at < 0)
        return "pdftotext -bbox finds no plot heading";
    const double headingBottom = heading.match(boxes, at).captured(1).toDouble();
    const int page = int(boxes.left(at).count(QStringLiteral("<page ")));
    const double plotHeight = 250 * 72.0 / 96.0; // the plot's 250 CSS pixels, in points
    QTemporaryDir dir;
    const QString prefix = dir.filePath(QStringLiteral("page"));
    runTool(QStringLiteral("pdftoppm"),
            {QStringLiteral("-r"), QStringLiteral("72"), QStringLiteral("-png"),
             QStringLiteral("-f"), QString::number(page), QStringLiteral("-l"),
             QString::number(page + 1), path, prefix},
            problem);
    if (!problem.empty())
        return problem;
    auto pageImage = [&](int number) {
        for (const QString& name :
             {QStringLiteral("%1-%2.png").arg(prefix).arg(number),
              QStringLiteral("%1-%2.png").arg(prefix).arg(number, 2, 10, QLatin1Char('0'))})
            if (QFile::exists(name))
                return QImage(name);
        return QImage();
    };
    // QTextDocument moves an image that does not fit below its heading to the next page.
    const QImage here = pageImage(page);
    const QImage next = pageImage(page + 1);
    if (here.isNull())
        return "pdftoppm rendered no page " + std::to_string(page);
    const auto [inkHere, coloursHere] =
        inkOf(here, QRect(0, int(headingBottom) + 4, here.width(), int(plotHeight)));
    const auto [inkNext, coloursNext] = inkOf(next, QRect(0, 36, next.width(), int(plotHeight)));
    const double ink = std::max(inkHere, inkNext);
    const int colours = std::max(coloursHere, coloursNext);
    if (ink < 0.01 || colours < 4)
        return "the count plot's area is blank (ink " + std::to_string(ink) + ", " +
               std::to_string(colours) + " colours)";
    return {};
}

} // namespace socklens::testing
