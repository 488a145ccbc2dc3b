// The report's registration plot: a lane per process, a bar while it held a socket's
// notification registration, a cross where another process's registration cancelled it (C7)
// and a triangle for every FD_READ / FD_WRITE the OS delivered to it.
#pragma once

#include "report/report_input.h"
#include "report_documents/plot_frame.h"

namespace socklens::reports {

/// The painter keeps a reference to `input`.
PlotPainter registrationPlot(const report::ReportInput& input);

} // namespace socklens::reports
