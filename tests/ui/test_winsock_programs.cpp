// The Attach dialog's source for Windows programs, live (issue 11.2): with a Winsock helper
// running, the engine lists the Wine prefix's programs (Wine's own services.exe among them) but
// not the helper, and attaching to one makes it a read-only process of the session. Needs
// Wine: labelled winsock.
#include "models/engine.h"
#include "models/session.h"

#include <QSignalSpy>
#include <QTest>
#include <gtest/gtest.h>

using namespace socklens;

TEST(WinsockPrograms, TheEngineListsThePrefixsProgramsAndAttachesToOne) {
    if (const auto why = broker::winsockUnavailable(SOCKLENS_WINSOCK_HELPER_PATH))
        FAIL() << "Winsock helpers cannot run here: " << *why;
    broker::BrokerOptions options;
    options.helperPath = SOCKLENS_HELPER_PATH;
    options.winsockHelperPath = SOCKLENS_WINSOCK_HELPER_PATH;
    options.backend = Platform::WinsockWine;
    ui::Session session;
    ui::Engine engine{session, options};
    engine.spawnHelper(QStringLiteral("reader"), Platform::WinsockWine);
    // The first Winsock helper may create the Wine prefix: tens of seconds.
    ASSERT_TRUE(engine.waitIdle(std::chrono::seconds(180)));
    std::int64_t reader = 0;
    for (const auto& [id, process] : session.state().processes)
        if (process.helper && process.alive)
            reader = process.pid.value();
    ASSERT_GT(reader, 0) << "the Winsock helper did not start";

    QSignalSpy listed(&engine, &ui::Commands::windowsProcessesListed);
    engine.listWindowsProcesses();
    ASSERT_TRUE(listed.wait(30000)) << "the engine never answered";
    const auto pids = listed.front().at(0).value<QList<qint64>>();
    const QStringList images = listed.front().at(1).toStringList();
    EXPECT_TRUE(listed.front().at(2).toString().isEmpty())
        << listed.front().at(2).toString().toStdString();
    ASSERT_EQ(pids.size(), images.size());
    EXPECT_FALSE(pids.contains(reader)) << "a helper is commanded, not attached";
    const qsizetype services = images.indexOf(QStringLiteral("services.exe"));
    ASSERT_GE(services, 0) << images.join(u' ').toStdString();

    const std::int64_t pid = pids[services];
    engine.attach({broker::AttachTarget::Kind::WindowsPid, std::uint64_t(pid)});
    ASSERT_TRUE(engine.waitIdle(std::chrono::seconds(30)));
    bool attached = false;
    for (const auto& [id, process] : session.state().processes)
        attached = attached || (process.pid.value() == pid && process.foreign &&
                                process.platform == Platform::WinsockWine && !process.helper);
    EXPECT_TRUE(attached) << "services.exe did not join read-only";
}
