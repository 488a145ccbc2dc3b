#include "report_documents/pdf_layout.h"

#include <QAbstractTextDocumentLayout>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextTable>
#include <algorithm>
#include <cmath>

namespace socklens::reports {

namespace {

/// Within this many CSS pixels of a page's top, a heading already starts the page.
constexpr qreal kTopOfPage = 48;

int pageOf(qreal y, qreal pageHeight) {
    return int(std::floor(y / pageHeight));
}

bool isHeading(const QTextBlock& block) {
    return block.blockFormat().headingLevel() > 0;
}

/// The lowest last block of the cells of `row`.
QTextBlock bottomOfRow(const QTextTable& table, int row) {
    QTextDocument* document = table.document();
    QTextBlock lowest;
    qreal bottom = -1;
    for (int column = 0; column < table.columns(); ++column) {
        const QTextBlock last =
            document->findBlock(table.cellAt(row, column).lastCursorPosition().position());
        const qreal at = document->documentLayout()->blockBoundingRect(last).bottom();
        if (at > bottom) {
            bottom = at;
            lowest = last;
        }
    }
    return lowest;
}

/// Tables span the page's width and no more: Qt adds a table's side margins to its 100 %.
void fitTablesToThePage(QTextFrame* frame) {
    for (QTextFrame* child : frame->childFrames()) {
        if (auto* table = qobject_cast<QTextTable*>(child)) {
            QTextTableFormat format = table->format();
            format.setLeftMargin(0);
            format.setRightMargin(0);
            table->setFormat(format);
        }
        fitTablesToThePage(child);
    }
}

/// The last block a heading must share a page with: the first body row of the table it
/// introduces (its tallest cell's last block), or else the block right after it.
QTextBlock endOfHeadingsStart(const QTextBlock& heading) {
    const QTextBlock next = heading.next();
    if (next.isValid() && isHeading(next)) // a section's title stays with its first part's
        return endOfHeadingsStart(next);
    // An introduction, a plot, then the table: all of it up to the table's first row.
    for (QTextBlock block = next; block.isValid() && !isHeading(block); block = block.next()) {
        if (const QTextTable* table = QTextCursor(block).currentTable()) {
            const int firstBody = std::min(table->format().headerRowCount(), table->rows() - 1);
            return bottomOfRow(*table, firstBody);
        }
    }
    return next;
}

} // namespace

QPageLayout pdfPageLayout() {
    return QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Landscape, QMarginsF(12, 12, 12, 12),
                       QPageLayout::Millimeter);
}

void paginate(QTextDocument& document, const QSizeF& pageSize) {
    QTextOption wrapping = document.defaultTextOption();
    // At word boundaries only; the default also breaks a word too long for its column.
    wrapping.setWrapMode(QTextOption::WordWrap);
    document.setDefaultTextOption(wrapping);
    document.setPageSize(pageSize);
    fitTablesToThePage(document.rootFrame());
    // In document order: a break moves everything after it, so each heading is judged on
    // the layout the breaks before it made.
    QAbstractTextDocumentLayout* layout = document.documentLayout();
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
        if (!isHeading(block) || block == document.begin())
            continue;
        const QTextBlock end = endOfHeadingsStart(block);
        if (!end.isValid())
            continue;
        const qreal top = layout->blockBoundingRect(block).top();
        const qreal bottom = layout->blockBoundingRect(end).bottom();
        const int page = pageOf(top, pageSize.height());
        // Already at the top of a page: a break would only leave an empty page before it.
        if (page == pageOf(bottom - 1, pageSize.height()) ||
            top - page * pageSize.height() < kTopOfPage)
            continue;
        QTextBlockFormat format = block.blockFormat();
        format.setPageBreakPolicy(QTextFormat::PageBreak_AlwaysBefore);
        QTextCursor(block).setBlockFormat(format);
    }
}

} // namespace socklens::reports
