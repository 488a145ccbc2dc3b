#include "report_documents/html_text.h"

#include <algorithm>

namespace socklens::reports::html {

namespace {

/// Hex runs at least this long (protocol-info blobs) get a break point every kHexGroup digits:
/// a narrow column wraps them between groups, never inside one.
constexpr qsizetype kLongHex = 24;
constexpr qsizetype kHexGroup = 8;

bool isHexDigit(QChar c) {
    return c.isDigit() || (c.toLower() >= u'a' && c.toLower() <= u'f');
}

QString withHexBreaks(const QString& text) {
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size();) {
        qsizetype end = i;
        while (end < text.size() && isHexDigit(text[end]))
            ++end;
        if (end - i < kLongHex) {
            out += text.mid(i, std::max<qsizetype>(end - i, 1));
            i = std::max(end, i + 1);
            continue;
        }
        for (qsizetype group = i; group < end; group += kHexGroup) {
            if (group > i)
                out += QChar(0x200B); // zero-width space: a line may break here
            out += text.mid(group, std::min(kHexGroup, end - group));
        }
        i = end;
    }
    return out;
}

} // namespace

QString text(const QString& plain) {
    QString cleaned = plain;
    for (QChar& c : cleaned) {
        if (c.unicode() < 0x20 && c != u'\t' && c != u'\n')
            c = QChar(0xFFFD);
    }
    return withHexBreaks(cleaned).toHtmlEscaped();
}

QString text(const std::string& plain) {
    return text(QString::fromStdString(plain));
}

QString table(const QStringList& headers, const std::vector<QStringList>& rows,
              const QStringList& rowIds) {
    // Attributes as well as CSS: QTextDocument (the PDF) reads the former, browsers both.
    QString out = QStringLiteral("<table class=\"data\" width=\"100%\" border=\"1\" "
                                 "cellspacing=\"0\" cellpadding=\"3\"><thead><tr>");
    for (const QString& header : headers)
        out += QStringLiteral("<th>") + text(header) + QStringLiteral("</th>");
    out += QStringLiteral("</tr></thead><tbody>");
    for (std::size_t i = 0; i < rows.size(); ++i) {
        out += i < std::size_t(rowIds.size())
                   ? QStringLiteral("<tr id=\"") + rowIds[qsizetype(i)] + QStringLiteral("\">")
                   : QStringLiteral("<tr>");
        for (const QString& cell : rows[i])
            out += QStringLiteral("<td>") + cell + QStringLiteral("</td>");
        out += QStringLiteral("</tr>");
    }
    return out + QStringLiteral("</tbody></table>\n");
}

QString none(const QString& sentence) {
    return QStringLiteral("<p class=\"none\">") + text(sentence) + QStringLiteral("</p>\n");
}

} // namespace socklens::reports::html
