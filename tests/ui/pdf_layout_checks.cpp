#include "pdf_layout_checks.h"

#include <QAbstractTextDocumentLayout>
#include <QTextBlock>
#include <QTextBoundaryFinder>
#include <QTextCursor>
#include <QTextLayout>
#include <QTextTable>
#include <cmath>
#include <set>

namespace socklens::testing {

namespace {

/// Slack for rounding of laid-out positions, in CSS pixels.
constexpr qreal kSlack = 0.5;

int pageAt(const QTextDocument& document, qreal y) {
    return int(std::floor(y / document.pageSize().height()));
}

QRectF rectOf(QTextDocument& document, const QTextBlock& block) {
    return document.documentLayout()->blockBoundingRect(block);
}

std::string quoted(const QString& text) {
    return "\"" + text.left(60).toStdString() + "\"";
}

/// Lines that end inside a word, and lines wider than the room they were given.
void checkLines(const QTextBlock& block, std::string& problems) {
    const QTextLayout* layout = block.layout();
    const QString text = block.text();
    QTextBoundaryFinder breaks(QTextBoundaryFinder::Line, text);
    for (int i = 0; i < layout->lineCount(); ++i) {
        const QTextLine line = layout->lineAt(i);
        if (line.naturalTextWidth() > line.width() + kSlack)
            problems += "a line runs out of its room (" + std::to_string(line.naturalTextWidth()) +
                        " > " + std::to_string(line.width()) +
                        " px): " + quoted(text.mid(line.textStart(), line.textLength())) + "\n";
        if (i + 1 == layout->lineCount())
            continue;
        const int end = line.textStart() + line.textLength();
        breaks.setPosition(end);
        // After a space a line may always end; elsewhere where Unicode's line breaking allows.
        if (!text.at(end - 1).isSpace() && !breaks.isAtBoundary())
            problems +=
                "a word is broken: " + quoted(text.mid(line.textStart(), line.textLength())) +
                " | " + quoted(text.mid(end, 20)) + "\n";
    }
}

void checkImages(const QTextBlock& block, qreal pageWidth, std::string& problems) {
    for (auto it = block.begin(); !it.atEnd(); ++it) {
        const QTextImageFormat image = it.fragment().charFormat().toImageFormat();
        if (image.isValid() && image.width() > pageWidth + kSlack)
            problems += "the image " + image.name().toStdString() + " is " +
                        std::to_string(image.width()) + " px wide, the page " +
                        std::to_string(pageWidth) + "\n";
    }
}

void checkTables(QTextFrame* frame, QTextDocument& document, std::string& problems) {
    const qreal room = document.pageSize().width() - 2 * document.documentMargin();
    for (QTextFrame* child : frame->childFrames()) {
        const QRectF rect = document.documentLayout()->frameBoundingRect(child);
        // Its outer border may stand half a pixel out on each side.
        if (qobject_cast<QTextTable*>(child) && rect.width() > room + 2 * kSlack + 1)
            problems += "a table is " + std::to_string(rect.width()) + " px wide, the page has " +
                        std::to_string(room) +
                        " px: " + quoted(QTextCursor(child->firstCursorPosition()).block().text()) +
                        "\n";
        checkTables(child, document, problems);
    }
}

/// The bottom of the first body row of the first table after `heading` (before the next
/// heading); else of the block after it; a heading right after a heading: that one's top.
qreal startBottom(QTextDocument& document, const QTextBlock& heading) {
    const QTextBlock next = heading.next();
    if (next.blockFormat().headingLevel() > 0)
        return rectOf(document, next).top() + 1;
    for (QTextBlock b = next; b.isValid() && b.blockFormat().headingLevel() == 0; b = b.next()) {
        const QTextTable* table = QTextCursor(b).currentTable();
        if (!table)
            continue;
        const int row = std::min(table->format().headerRowCount(), table->rows() - 1);
        qreal bottom = 0;
        for (int column = 0; column < table->columns(); ++column)
            bottom = std::max(
                bottom, rectOf(document, table->cellAt(row, column).firstCursorPosition().block())
                            .bottom());
        return bottom;
    }
    return rectOf(document, next).bottom();
}

} // namespace

int pageOfBlock(QTextDocument& document, const QTextBlock& block) {
    return pageAt(document, rectOf(document, block).top());
}

std::string problemsOfPdfLayout(QTextDocument& document) {
    std::string problems;
    if (document.pageCount() < 1 || document.pageSize().height() <= 0)
        return "the document is not paginated\n";
    checkTables(document.rootFrame(), document, problems);
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
        checkLines(block, problems);
        checkImages(block, document.pageSize().width(), problems);
        if (block.blockFormat().headingLevel() == 0 || !block.next().isValid())
            continue;
        const int at = pageOfBlock(document, block);
        const int start = pageAt(document, startBottom(document, block) - 1);
        if (at != start)
            problems += "the heading " + quoted(block.text()) + " is on page " +
                        std::to_string(at + 1) + ", what it introduces starts on page " +
                        std::to_string(start + 1) + "\n";
    }
    return problems;
}

} // namespace socklens::testing
