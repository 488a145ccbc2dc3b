#include "cli/map_arguments.h"
#include "cli/map_commands.h"
#include "cli/map_output.h"

#include <fstream>

namespace socklens::cli {

const char* const kMapUsage =
    R"(  socklens-cli map [--pid PID]... [--tree PID]... [--port N] [--inode N] [--shared]
                   [--json FILE|-] [--csv FILE|-]
  socklens-cli watch [the same filters] [--interval-ms N] [--duration-ms N] [--session FILE]

map       prints every socket of the machine with the processes holding it (pid, command, fd,
          close-on-exec, O_NONBLOCK, O_ASYNC), its queues and buffers, and the epoll
          registrations on it, from the kernel's socket diagnostics and /proc; read-only.
          Processes that cannot be read are listed with why (docs/machine-map.md).
--pid     sockets held by this process (repeat for several); --tree: by it or a descendant.
--port    sockets whose local or peer port is N; --inode: the socket with this inode.
--shared  only sockets held by two or more processes.
--json / --csv  write the map in that format instead of the table ("-": standard output).
watch     prints changes as they happen: sockets appearing and going, holders gained (with how:
          inherited at fork, received, or unknown, and the evidence) and lost, state changes.
--interval-ms  how often the machine is read (default 1000); --duration-ms: stop after that.
--session records the changes as a session file for socklens-cli report.
)";

namespace {

struct MapOptions {
    sysmap::MapFilter filter;
    std::string json;
    std::string csv;
};

MapOptions parseMapOptions(const std::vector<std::string>& arguments) {
    MapOptions options;
    for (std::size_t i = 1; i < arguments.size(); ++i) {
        if (parseFilterOption(arguments, i, options.filter))
            continue;
        const std::string& argument = arguments[i];
        if (argument == "--json")
            options.json = optionValue(arguments, i);
        else if (argument == "--csv")
            options.csv = optionValue(arguments, i);
        else
            throw UsageError("unknown option " + argument + " for map");
    }
    if (options.json == "-" && options.csv == "-")
        throw UsageError("--json - and --csv - cannot both write to standard output");
    return options;
}

/// Writes with `write` to `path` ("-": `out`); false, with a sentence on `err`, when it cannot.
template <class Write>
bool writeTo(const std::string& path, std::ostream& out, std::ostream& err, const Write& write) {
    if (path == "-") {
        write(out);
        return true;
    }
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    if (file)
        write(file);
    if (!file || !file.flush()) {
        err << "socklens-cli: cannot write " << path << '\n';
        return false;
    }
    return true;
}

} // namespace

int runMap(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err) {
    MapOptions options;
    try {
        options = parseMapOptions(arguments);
    } catch (const UsageError& error) {
        err << "socklens-cli: " << error.what() << "\n\nusage:\n" << kMapUsage;
        return 2;
    }
    const sysmap::MachineMap map = sysmap::readMachineMap(options.filter);
    bool written = true;
    if (!options.json.empty())
        written &=
            writeTo(options.json, out, err, [&](std::ostream& file) { writeMapJson(map, file); });
    if (!options.csv.empty())
        written &=
            writeTo(options.csv, out, err, [&](std::ostream& file) { writeMapCsv(map, file); });
    if (options.json.empty() && options.csv.empty())
        writeMapTable(map, out);
    else if (options.json != "-" && options.csv != "-")
        out << map.sockets.size() << " socket(s) written\n";
    return written ? 0 : 3;
}

} // namespace socklens::cli
