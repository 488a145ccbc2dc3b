// How the report's QTextDocument sits on PDF pages: words are never broken inside (a column
// gets the width of its longest word; hex gets break points between its groups), and every
// heading starts on the page where the start of its table or plot is.
#pragma once

#include <QPageLayout>

class QTextDocument;

namespace socklens::reports {

/// A4 landscape: the report's widest tables (registrations, option propagation) need it.
QPageLayout pdfPageLayout();

/// Wraps at word boundaries only and lays `document` out on pages of `pageSize` (CSS
/// pixels), moving a heading to the next page when what it introduces would start there.
void paginate(QTextDocument& document, const QSizeF& pageSize);

} // namespace socklens::reports
