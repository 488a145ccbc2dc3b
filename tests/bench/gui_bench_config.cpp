#include "gui_bench_config.h"

#include <charconv>
#include <cstdio>
#include <string_view>

namespace socklens::bench {
namespace {

bool parseInt(std::string_view text, int& out) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
    return error == std::errc() && end == text.data() + text.size() && out >= 0;
}

} // namespace

std::optional<Config> parseArguments(int argc, char** argv) {
    Config config;
    for (int i = 1; i < argc; ++i) {
        const std::string_view argument(argv[i]);
        const auto equals = argument.find('=');
        const std::string_view name = argument.substr(0, equals);
        const std::string_view value =
            equals == std::string_view::npos ? std::string_view() : argument.substr(equals + 1);
        int number = 0;
        if (name == "--kind" && (value == "unix" || value == "tcp")) {
            config.kind = value == "unix" ? SocketKind::UnixPair : SocketKind::TcpPair;
            continue;
        }
        if (!parseInt(value, number)) {
            std::fprintf(stderr, "socklens_gui_bench: bad argument %s\n", argv[i]);
            return std::nullopt;
        }
        if (name == "--helpers" && number > 0)
            config.helpers = number;
        else if (name == "--pairs" && number > 0)
            config.pairs = number;
        else if (name == "--steady")
            config.steadySeconds = number;
        else if (name == "--ticks" && number > 0)
            config.ticks = number;
        else if (name == "--uncommanded")
            config.uncommanded = number;
        else if (name == "--commands")
            config.commands = number;
        else if (name == "--probe-gap-ms" && number > 0)
            config.probeGapMs = number;
        else {
            std::fprintf(
                stderr,
                "socklens_gui_bench: unknown argument %s\n"
                "usage: socklens_gui_bench [--helpers=64] [--pairs=500] [--kind=unix|tcp]\n"
                "         [--steady=20] [--ticks=5] [--uncommanded=50] [--commands=20]\n"
                "         [--probe-gap-ms=400]\n",
                argv[i]);
            return std::nullopt;
        }
    }
    return config;
}

} // namespace socklens::bench
