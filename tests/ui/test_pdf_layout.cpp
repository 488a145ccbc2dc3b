// The PDF report's layout, read back from the document print() draws: landscape, tables
// within the page, words never broken (hex only between its groups), headings on the page
// where their table starts. On a real session (the built-in handoff demo) and on one made
// to stress it (long hex, many handoff tables crossing pages).
#include "live_session.h"
#include "model/journal.h"
#include "pdf_layout_checks.h"
#include "report_documents/pdf_layout.h"
#include "report_documents/pdf_report.h"

#include <QTextBlock>
#include <QTextCursor>
#include <QTextTable>
#include <gtest/gtest.h>

using namespace socklens;

namespace {

/// A WSAPROTOCOL_INFO's worth of hex, as a Winsock handoff's step 6 carries it.
std::string protocolInfoHex() {
    std::string hex;
    for (int i = 0; i < 372; ++i)
        hex += "0123456789abcdef"[i % 16];
    return hex;
}

/// Twelve duplications of ten steps each: their tables cross page boundaries.
std::vector<JournalEntry> manyHandoffs() {
    Journal journal;
    const ProcessId a(1);
    const ProcessId b(2);
    journal.append(entry::ProcessStarted{a, OsPid(100), "A", Platform::Linux, true, {}, {}});
    journal.append(entry::ProcessStarted{b, OsPid(200), "B", Platform::Linux, true, {}, {}});
    for (std::uint32_t d = 1; d <= 12; ++d) {
        journal.append(entry::DuplicationStarted{DuplicationId(d), SocketId(1), {a, Handle(3)}, b});
        for (int step = 1; step <= 10; ++step)
            journal.append(entry::HandoffStep{
                .duplication = DuplicationId(d),
                .step = step,
                .text = "step " + std::to_string(step) + " of the seeds' table",
                .detail = step == 6 ? protocolInfoHex() : "SO_RCVBUF through A:3"});
    }
    journal.append(entry::CommandFailed{"set A:3 IPV6_MULTICAST_LOOP 1", "setsockopt",
                                        "ENOPROTOOPT",
                                        "setsockopt failed: Protocol not available (ENOPROTOOPT)"});
    return {journal.entries().begin(), journal.entries().end()};
}

} // namespace

TEST(PdfLayout, TheDemoSessionsReportFitsItsPagesWithWholeWords) {
    socklens::testing::DemoSession demo;
    ASSERT_TRUE(demo.ran);
    const auto document = reports::pdfDocument(
        report::ReportInput{demo.session.journal().entries(), demo.session.state(), {}, 0});
    EXPECT_GT(document->pageSize().width(), document->pageSize().height()) << "landscape";
    EXPECT_GE(document->pageCount(), 2);
    EXPECT_EQ(socklens::testing::problemsOfPdfLayout(*document), "");
}

TEST(PdfLayout, LongHexBreaksBetweenGroupsAndHeadingsStayWithTheirTables) {
    const std::vector<JournalEntry> entries = manyHandoffs();
    const State state = fold(entries);
    const auto document = reports::pdfDocument(report::ReportInput{entries, state, {}, 0});
    EXPECT_EQ(socklens::testing::problemsOfPdfLayout(*document), "");
    ASSERT_GE(document->pageCount(), 4) << "the test needs tables that cross pages";

    int movedHeadings = 0;
    int hexCells = 0;
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        movedHeadings +=
            block.blockFormat().pageBreakPolicy() & QTextFormat::PageBreak_AlwaysBefore ? 1 : 0;
        if (!block.text().startsWith(QStringLiteral("01234567")))
            continue;
        ++hexCells;
        // Cut to the report's 160 characters, it still needs several lines; each one ends
        // at a group of eight digits.
        ASSERT_GT(block.layout()->lineCount(), 1);
        for (int i = 0; i + 1 < block.layout()->lineCount(); ++i) {
            const QTextLine line = block.layout()->lineAt(i);
            EXPECT_EQ(block.text().at(line.textStart() + line.textLength() - 1), QChar(0x200B))
                << block.text().toStdString();
        }
    }
    EXPECT_EQ(hexCells, 12);
    EXPECT_GT(movedHeadings, 0) << "no heading had to move: the test shows nothing";
}

TEST(PdfLayout, TheChecksCatchABrokenWordAndAnOrphanedHeading) {
    // What the report looked like before: portrait, wrapping anywhere.
    QTextDocument document;
    QTextOption anywhere;
    anywhere.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    document.setDefaultTextOption(anywhere);
    QString html = QStringLiteral("<h2>Filler</h2>");
    for (int i = 0; i < 38; ++i)
        html += QStringLiteral("<p>line %1</p>").arg(i);
    html += QStringLiteral("<h3>Orphan</h3><table width=\"100%\" border=\"1\"><thead><tr><th>A"
                           "</th><th>B</th></tr></thead><tbody><tr><td>%1</td><td>x</td></tr>"
                           "</tbody></table>")
                .arg(QString(300, QLatin1Char('w')));
    document.setHtml(html);
    document.setPageSize(QSizeF(400, 700));
    const std::string problems = socklens::testing::problemsOfPdfLayout(document);
    EXPECT_NE(problems.find("a word is broken"), std::string::npos) << problems;

    // The same document through the report's pagination: whole words, heading moved.
    reports::paginate(document, QSizeF(400, 700));
    const std::string after = socklens::testing::problemsOfPdfLayout(document);
    EXPECT_EQ(after.find("a word is broken"), std::string::npos) << after;
    EXPECT_EQ(after.find("the heading"), std::string::npos) << after;
}
