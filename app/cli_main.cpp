// socklens-cli: runs scenarios against real helpers and renders reports, without a display.
#include "cli/cli.h"
#include "report_documents/headless_gui.h"

#include <csignal>
#include <iostream>

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN); // a helper that dies must not take the CLI with it
    socklens::reports::HeadlessGui gui(argc, argv);
    return socklens::cli::runCli(std::vector<std::string>(argv + 1, argv + argc), std::cout,
                                 std::cerr, gui.reportWriter());
}
