// Facts read back from the laid-out PDF document (QTextDocument's own layout, what print()
// draws): no table wider than the page, no line broken inside a word or running out of its
// cell, no image wider than the page, every heading on the page where its table starts.
#pragma once

#include <QTextDocument>
#include <string>

namespace socklens::testing {

/// "" or every problem found, one a line.
std::string problemsOfPdfLayout(QTextDocument& document);

/// The page (from 0) where `block` begins.
int pageOfBlock(QTextDocument& document, const QTextBlock& block);

} // namespace socklens::testing
