// HTML and PDF reports are drawn with Qt by socklens-report-renderer, a program of its own
// beside socklens-cli: the CLI links no Qt, so `map` and `run` do not pay for loading it
// (8 ms of every start; docs/performance.md).
#pragma once

#include "cli/cli.h"

namespace socklens::cli {

inline constexpr const char* kReportRendererName = "socklens-report-renderer";

/// Hands HTML and PDF reports to the renderer (through a private temporary session file);
/// empty when the renderer is not installed, so the CLI writes JSON and CSV only.
ReportWriter rendererProcess();

} // namespace socklens::cli
