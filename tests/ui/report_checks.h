// What every HTML and PDF report must show, checked on the file as a reader gets it: the
// HTML parsed back as XML, the PDF through poppler's pdftotext and pdftoppm.
#pragma once

#include "model/state.h"

#include <QString>
#include <string>

namespace socklens::testing {

/// Every socket row and every claim row is there, every #N link has its target, and the
/// file refers to nothing outside itself. Returns "" or what is wrong.
std::string problemsOfHtmlReport(const QString& path, const State& state);

/// pdftotext finds the section titles and C1-C12; pdftoppm renders the count plot's area
/// with the plot visible. Returns "" or what is wrong.
std::string problemsOfPdfReport(const QString& path);

/// The section titles every HTML and PDF report has.
const QStringList& reportSectionTitles();

} // namespace socklens::testing
