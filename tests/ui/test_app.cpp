// The socklens executable as a user starts it.
#include <QImage>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSet>
#include <QTemporaryDir>
#include <gtest/gtest.h>

namespace {

QProcessEnvironment offscreen() {
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"),
                       QStringLiteral("/nonexistent-socklens-test")); // default geometry
    return environment;
}

} // namespace

TEST(App, ScreenshotRendersANonBlankWindowOfTheExpectedSize) {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("window.png"));
    QProcess app;
    app.setProcessEnvironment(offscreen());
    app.start(QStringLiteral(SOCKLENS_APP_PATH), {QStringLiteral("--screenshot"), path});
    ASSERT_TRUE(app.waitForFinished(60000)) << "socklens --screenshot did not finish";
    EXPECT_EQ(app.exitCode(), 0) << app.readAllStandardError().toStdString();

    const QImage image(path);
    ASSERT_FALSE(image.isNull());
    EXPECT_EQ(image.size(), QSize(1440, 900));
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7) {
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, y));
    }
    EXPECT_GT(colours.size(), 20) << "the window looks blank";
}

TEST(App, WithoutADisplayItSaysSoInOneLine) {
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char* name : {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"})
        environment.remove(QString::fromLatin1(name));
    QProcess app;
    app.setProcessEnvironment(environment);
    app.start(QStringLiteral(SOCKLENS_APP_PATH), {});
    ASSERT_TRUE(app.waitForFinished(20000));
    EXPECT_EQ(app.exitCode(), 1);
    const QString message = QString::fromUtf8(app.readAllStandardError());
    EXPECT_EQ(message.count(u'\n'), 1) << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("socklens-cli"))) << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("--screenshot"))) << message.toStdString();
}

TEST(App, VersionComesFromTheProject) {
    QProcess app;
    app.setProcessEnvironment(offscreen());
    app.start(QStringLiteral(SOCKLENS_APP_PATH), {QStringLiteral("--version")});
    ASSERT_TRUE(app.waitForFinished(20000));
    EXPECT_TRUE(app.readAllStandardOutput().startsWith("socklens 0."));
}
