// The map benchmark's baseline as a program: started the same way as socklens-cli and ss, so
// that the three are compared with the same program start and end.
#include "bare_proc_scan.h"

int main() {
    std::printf("%zu\n", socklens::bench::bareProcScan());
    return 0;
}
