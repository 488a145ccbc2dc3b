// socklens-cli built without Qt (the fuzz preset): JSON and CSV reports only.
#include "cli/cli.h"

#include <csignal>
#include <iostream>

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN); // a helper that dies must not take the CLI with it
    return socklens::cli::runCli(std::vector<std::string>(argv + 1, argv + argc), std::cout,
                                 std::cerr);
}
