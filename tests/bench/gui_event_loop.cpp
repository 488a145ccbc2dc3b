#include "gui_event_loop.h"

#include <QEventLoop>
#include <QTimer>
#include <algorithm>
#include <cstdio>

namespace socklens::bench {

void quietMessages(QtMsgType type, const QMessageLogContext& context, const QString& message) {
    if (message.contains(QStringLiteral("propagateSizeHints")))
        return;
    std::fprintf(stderr, "%s\n", qPrintable(qFormatLogMessage(type, context, message)));
}

void runFor(Clock::duration duration) {
    QEventLoop loop;
    QTimer::singleShot(int(std::max<double>(ms(duration), 0)), &loop, &QEventLoop::quit);
    loop.exec();
}

bool runUntil(const std::function<bool()>& done, Clock::duration bound) {
    const Clock::time_point deadline = Clock::now() + bound;
    QEventLoop loop;
    QTimer check;
    check.setInterval(20);
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (done() || Clock::now() >= deadline)
            loop.quit();
    });
    check.start();
    if (!done())
        loop.exec();
    return done();
}

} // namespace socklens::bench
