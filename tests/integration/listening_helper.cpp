#include "listening_helper.h"

#include <cstdlib>
#include <poll.h>
#include <unistd.h>

namespace socklens::testing {

ListeningHelper startListeningHelper(const char* program, const std::string& path,
                                     const char* rogueMode) {
    ListeningHelper helper;
    int out[2];
    if (::pipe(out) != 0)
        return helper;
    helper.pid = ::fork();
    if (helper.pid == 0) {
        ::dup2(out[1], 1);
        if (rogueMode)
            ::setenv("SOCKLENS_ROGUE", rogueMode, 1);
        ::execl(program, program, "--listen", path.c_str(), nullptr);
        ::_exit(127);
    }
    ::close(out[1]);
    char c;
    pollfd readable{out[0], POLLIN, 0};
    while (::poll(&readable, 1, 5000) > 0 && ::read(out[0], &c, 1) == 1 && c != '\n')
        helper.said += c;
    ::close(out[0]);
    return helper;
}

} // namespace socklens::testing
