// A dark desktop: the app keeps the palette the platform gives it, so its own colours (the
// selected socket's rows, failures, the plots) must read on a dark base too.
#include "models/session.h"
#include "models/style_roles.h"
#include "started_window.h"
#include "widgets/palette_colors.h"
#include "widgets/plot.h"
#include "widgets/registration_timeline_plot.h"
#include "widgets/style_roles_delegate.h"

#include <QApplication>
#include <QImage>
#include <QLabel>
#include <QScopeGuard>
#include <QStandardItemModel>
#include <QTest>
#include <gtest/gtest.h>

using namespace socklens;
using namespace socklens::ui;

namespace {

QPalette darkPalette() {
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(40, 40, 40));
    dark.setColor(QPalette::WindowText, QColor(230, 230, 230));
    dark.setColor(QPalette::Base, QColor(30, 30, 30));
    dark.setColor(QPalette::Text, QColor(235, 235, 235));
    dark.setColor(QPalette::Mid, QColor(90, 90, 90));
    return dark;
}

/// WCAG's contrast ratio of two colours (1 to 21; 4.5 is what body text needs).
double contrast(const QColor& a, const QColor& b) {
    const auto luminance = [](const QColor& c) {
        const auto channel = [](double v) {
            return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
        };
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) +
               0.0722 * channel(c.blueF());
    };
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

struct ExposedDelegate : StyleRolesDelegate {
    using StyleRolesDelegate::initStyleOption;
};

TEST(DarkPalette, HighlightedAndFailedRowsReadOnLightAndDark) {
    QStandardItemModel model(1, 1);
    model.setData(model.index(0, 0), QStringLiteral("S1"));
    model.setData(model.index(0, 0), true, HighlightedRole);
    model.setData(model.index(0, 0), true, AlarmRole);
    ExposedDelegate delegate;
    for (const QPalette& palette : {QPalette(QColor(239, 239, 239)), darkPalette()}) {
        QStyleOptionViewItem option;
        option.palette = palette;
        delegate.initStyleOption(&option, model.index(0, 0));
        const QColor background = option.backgroundBrush.color();
        EXPECT_GE(contrast(palette.color(QPalette::Text), background), 4.5)
            << "the selected socket's rows, dark=" << isDark(palette);
        EXPECT_GE(contrast(option.palette.color(QPalette::Text), background), 3.0)
            << "a failure on the selected socket's row, dark=" << isDark(palette);
        EXPECT_GE(contrast(option.palette.color(QPalette::Text), palette.color(QPalette::Base)),
                  3.0)
            << "a failure, dark=" << isDark(palette);
    }
}

TEST(DarkPalette, ThePlotsTakeTheDesktopsColours) {
    Session session;
    RegistrationTimelinePlot timeline(session);
    timeline.resize(600, 240);
    timeline.show();
    auto* plot = timeline.findChild<QCustomPlot*>();
    ASSERT_NE(plot, nullptr);
    timeline.setPalette(darkPalette());
    ASSERT_TRUE(
        QTest::qWaitFor([&] { return plot->xAxis->tickLabelColor().lightness() > 200; }, 5000));
    // The plot's corner is the dark base, not white.
    EXPECT_LT(timeline.grab().toImage().pixelColor(3, 3).lightness(), 60);
    EXPECT_GE(contrast(plot->xAxis->labelColor(), QColor(30, 30, 30)), 4.5);
    EXPECT_GE(contrast(plot->legend->textColor(), QColor(30, 30, 30)), 4.5);
}

TEST(DarkPalette, PaneHeadersSayAliveAndDeadLegiblyOnLightAndDark) {
    // The desktop's palette is the application's when the window is made (as on a dark
    // desktop); then B is killed, so one header says alive and one dead.
    const QPalette desktop = QApplication::palette();
    const auto restore = qScopeGuard([&] { QApplication::setPalette(desktop); });
    for (const QPalette& palette : {QPalette(QColor(239, 239, 239)), darkPalette()}) {
        QApplication::setPalette(palette);
        socklens::testing::StartedWindow started;
        ASSERT_TRUE(started.settled);
        started.engine.killHelper(started.process("B"));
        ASSERT_TRUE(started.settle());
        ASSERT_TRUE(QTest::qWaitFor(
            [&] {
                const ProcessState* b = started.session.state().process(started.process("B"));
                return b && !b->alive;
            },
            20000));
        for (const auto& [name, alive] : {std::pair{"A", true}, std::pair{"B", false}}) {
            ProcessPane* pane = started.window.panes().pane(started.process(name));
            ASSERT_NE(pane, nullptr) << name;
            ASSERT_EQ(isDark(pane->palette(), QPalette::Window), isDark(palette, QPalette::Window))
                << "the pane does not have the desktop's palette";
            const auto* status = pane->findChild<QLabel*>(QStringLiteral("paneStatus"));
            ASSERT_NE(status, nullptr);
            ASSERT_TRUE(
                status->text().contains(alive ? QStringLiteral("alive") : QStringLiteral("dead")))
                << status->text().toStdString();
            const QColor text = status->palette().color(QPalette::WindowText);
            const QColor background = pane->palette().color(QPalette::Window);
            EXPECT_GE(contrast(text, background), 4.5)
                << name << " on " << background.name().toStdString() << ": "
                << text.name().toStdString();
            // Still green for alive and red for dead, whatever the background.
            EXPECT_EQ(text.green() > text.red(), alive) << name << text.name().toStdString();
        }
    }
}

TEST(DarkPalette, PaneHeadersFollowTheDesktopWhenItTurnsDarkWhileTheAppRuns) {
    const QPalette desktop = QApplication::palette();
    const auto restore = qScopeGuard([&] { QApplication::setPalette(desktop); });
    QApplication::setPalette(QPalette(QColor(239, 239, 239)));
    socklens::testing::StartedWindow started;
    ASSERT_TRUE(started.settled);
    ProcessPane* pane = started.window.panes().pane(started.process("A"));
    ASSERT_NE(pane, nullptr);
    const auto* status = pane->findChild<QLabel*>(QStringLiteral("paneStatus"));
    ASSERT_NE(status, nullptr);
    const QColor lightText = status->palette().color(QPalette::WindowText);

    QApplication::setPalette(darkPalette()); // the desktop switches to a dark theme
    ASSERT_TRUE(QTest::qWaitFor([&] { return isDark(pane->palette(), QPalette::Window); }, 5000))
        << "the pane kept the light palette";
    ASSERT_TRUE(QTest::qWaitFor(
        [&] { return status->palette().color(QPalette::WindowText) != lightText; }, 5000))
        << "the header kept its colour for a light background";
    const QColor text = status->palette().color(QPalette::WindowText);
    const QColor background = pane->palette().color(QPalette::Window);
    EXPECT_GE(contrast(text, background), 4.5)
        << text.name().toStdString() << " on " << background.name().toStdString();
    EXPECT_GT(text.green(), text.red()) << "alive is still green";
}

} // namespace
