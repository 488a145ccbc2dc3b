// Running the GUI benchmark's event loop: for a while, or until a condition holds (bounded;
// never a sleep), and without the offscreen platform's noise.
#pragma once

#include "sample_statistics.h"

#include <QString>
#include <QtGlobal>
#include <functional>

namespace socklens::bench {

/// The offscreen platform says this for every top-level resize; it means nothing here.
void quietMessages(QtMsgType type, const QMessageLogContext& context, const QString& message);

/// Runs the GUI event loop for `duration`.
void runFor(Clock::duration duration);

/// Runs the GUI event loop until `done()` or `bound` passes (checked every 20 ms).
bool runUntil(const std::function<bool()>& done, Clock::duration bound);

} // namespace socklens::bench
