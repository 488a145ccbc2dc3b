// The one table of report formats: names, extensions, and who can write them.
#include "report/report_file.h"
#include "report/report_format.h"

#include <gtest/gtest.h>

namespace socklens::report {
namespace {

TEST(ReportFormat, EveryFormatHasOneLineThatNamesItBothWays) {
    ASSERT_EQ(allReportFormats().size(), 4u);
    for (const ReportFormatTraits& traits : allReportFormats()) {
        SCOPED_TRACE(std::string(traits.name));
        EXPECT_EQ(&traitsOf(traits.format), &traits);
        EXPECT_EQ(reportFormatFromName(traits.name), traits.format);
        EXPECT_EQ(reportFormatFromPath("dir.v2/report." + std::string(traits.name)), traits.format);
        EXPECT_FALSE(traits.description.empty());
        EXPECT_EQ(coreWrites(traits.format), !traits.needsQt);
    }
    EXPECT_TRUE(coreWrites(ReportFormat::Json));
    EXPECT_FALSE(coreWrites(ReportFormat::Pdf));
}

TEST(ReportFormat, ExtensionsAreCaseInsensitiveAndHtmCountsAsHtml) {
    EXPECT_EQ(reportFormatFromPath("Report.HTML"), ReportFormat::Html);
    EXPECT_EQ(reportFormatFromPath("report.htm"), ReportFormat::Html);
    EXPECT_EQ(reportFormatFromPath("report.txt"), std::nullopt);
    EXPECT_EQ(reportFormatFromPath("report.d/plain"), std::nullopt) << "a dot in a folder name";
    EXPECT_EQ(reportFormatFromName("PDF"), std::nullopt) << "--format words are lower case";
}

TEST(ReportFormat, SentencesListEveryFormat) {
    EXPECT_EQ(reportFormatNames(), "json, html, pdf or csv");
    EXPECT_EQ(reportFormatNames("."), ".json, .html, .pdf or .csv");
}

} // namespace
} // namespace socklens::report
