// socklens-cli: runs scenarios against real helpers, maps the machine's sockets and writes
// reports, without a display and without Qt (HTML and PDF: cli/report_renderer.h).
#include "cli/cli.h"
#include "cli/report_renderer.h"

#include <csignal>
#include <iostream>

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN); // a helper that dies must not take the CLI with it
    return socklens::cli::runCli(std::vector<std::string>(argv + 1, argv + argc), std::cout,
                                 std::cerr, socklens::cli::rendererProcess());
}
