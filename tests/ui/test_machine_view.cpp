// The Machine view keeps one line per socket: a long Unix path is cut short in its cell and
// read whole in the cell's tooltip.
#include "models/machine_map_model.h"
#include "widgets/machine_view.h"

#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

using namespace socklens;

TEST(MachineView, ALongUnixPathIsOneLineWithTheWholePathInItsTooltip) {
    QTemporaryDir directory;
    ASSERT_TRUE(directory.isValid());
    const QString path =
        directory.filePath(QStringLiteral("a-rather-long-name-of-a-listening-socket.sock"));
    const int listener = ::socket(AF_UNIX, SOCK_STREAM, 0);
    ASSERT_GE(listener, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const QByteArray bytes = path.toLocal8Bit();
    ASSERT_LT(std::size_t(bytes.size()), sizeof address.sun_path);
    std::copy(bytes.begin(), bytes.end(), address.sun_path);
    ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    ASSERT_EQ(::listen(listener, 1), 0);
    struct stat status {};
    ::fstat(listener, &status);

    ui::MachineView view;
    sysmap::MapFilter filter;
    filter.inode = status.st_ino;
    view.model().setFilter(filter);
    ASSERT_TRUE(view.model().refresh());
    ASSERT_TRUE(QTest::qWaitFor([&] { return view.model().rowOf(status.st_ino) >= 0; }, 10000));
    const int row = view.model().rowOf(status.st_ino);
    const QModelIndex local = view.model().index(row, ui::MachineMapModel::LocalColumn);
    EXPECT_EQ(local.data().toString(), path); // the kernel's name for it, as bound
    EXPECT_EQ(local.data(Qt::ToolTipRole).toString(), path);
    EXPECT_FALSE(view.view().wordWrap()) << "a long path would make its row two lines high";
    EXPECT_EQ(view.view().textElideMode(), Qt::ElideMiddle);
    ::close(listener);
}
