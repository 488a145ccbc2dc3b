// Small pieces of HTML text the report builder is made of.
#pragma once

#include <QString>
#include <QStringList>
#include <string>
#include <vector>

namespace socklens::reports::html {

/// Escaped text; control characters (not allowed in XML) become U+FFFD, and long hex runs
/// get a zero-width break point every 8 digits.
QString text(const QString& plain);
QString text(const std::string& plain);

/// A table with a header row; cells are HTML already. `rowIds` (optional) become the rows' ids.
QString table(const QStringList& headers, const std::vector<QStringList>& rows,
              const QStringList& rowIds = {});

/// `<p class="none">sentence</p>`, for a section with nothing to show.
QString none(const QString& sentence);

} // namespace socklens::reports::html
