// The report's "descriptor counts over time" plot: one step line per socket, as the OS
// reported the count (C6).
#pragma once

#include "report/report_input.h"
#include "report_documents/plot_frame.h"

namespace socklens::reports {

/// Sockets drawn at most; the busiest are chosen and the legend says how many were left out.
inline constexpr std::size_t kMaxPlottedSockets = 10;

/// The painter keeps a reference to `input`.
PlotPainter countPlot(const report::ReportInput& input);

} // namespace socklens::reports
