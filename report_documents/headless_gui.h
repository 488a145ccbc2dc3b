// For programs without a window (socklens-cli): creates a QGuiApplication on the offscreen
// platform the first time a report needs one (fonts, QPdfWriter), so the CLI runs without a
// display and pays for Qt only when it renders HTML or PDF.
#pragma once

#include "cli/cli.h"

#include <QGuiApplication>
#include <memory>

namespace socklens::reports {

class HeadlessGui {
public:
    HeadlessGui(int& argc, char** argv);
    ~HeadlessGui();

    /// Writes HTML and PDF reports, creating the application first if there is none.
    cli::ReportWriter reportWriter();

private:
    void ensureApplication();

    int& argc_;
    char** argv_;
    std::unique_ptr<QGuiApplication> application_;
};

} // namespace socklens::reports
