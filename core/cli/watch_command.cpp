#include "cli/map_arguments.h"
#include "cli/map_commands.h"
#include "cli/session_recording.h"
#include "cli/watch_journal.h"
#include "model/session_writer.h"

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <thread>

namespace socklens::cli {

namespace {

/// watch prints no flags: it reads none.
const sysmap::MapReadOptions kWithoutFlags{0, false};

struct WatchOptions {
    sysmap::MapFilter filter;
    std::chrono::milliseconds interval{1000};
    std::optional<std::chrono::milliseconds> duration;
    std::string session;
};

WatchOptions parseWatchOptions(const std::vector<std::string>& arguments) {
    WatchOptions options;
    for (std::size_t i = 1; i < arguments.size(); ++i) {
        if (parseFilterOption(arguments, i, options.filter))
            continue;
        const std::string& argument = arguments[i];
        if (argument == "--interval-ms")
            options.interval = std::chrono::milliseconds(
                parseNumberOption(argument, optionValue(arguments, i), 10, 3600000));
        else if (argument == "--duration-ms")
            options.duration = std::chrono::milliseconds(
                parseNumberOption(argument, optionValue(arguments, i), 0, INT64_MAX / 1000000));
        else if (argument == "--session")
            options.session = optionValue(arguments, i);
        else
            throw UsageError("unknown option " + argument + " for watch");
    }
    return options;
}

std::string socketText(const sysmap::KernelSocket& socket) {
    std::string text = "socket " + std::to_string(socket.inode) + " (" + socket.kind;
    if (!socket.state.empty())
        text += " " + socket.state;
    if (!socket.local.empty())
        text += " " + socket.local;
    if (!socket.peer.empty())
        text += " -> " + socket.peer;
    return text + ")";
}

std::string holderText(const sysmap::MapHolder& holder) {
    return holder.command() + "[" + std::to_string(holder.pid) + "] fd " +
           std::to_string(holder.fd);
}

std::string describe(const sysmap::MapChange& change) {
    using Kind = sysmap::MapChangeKind;
    switch (change.kind) {
    case Kind::SocketAppeared: {
        std::string text = "+ " + socketText(change.socket) + " appeared";
        for (std::size_t i = 0; i < change.holders.size(); ++i)
            text += (i ? ", " : ", held by ") + holderText(change.holders[i]);
        return text;
    }
    case Kind::SocketGone:
        return "- " + socketText(change.socket) + " gone: the kernel no longer lists it";
    case Kind::HolderGained:
        return "+ " + holderText(change.holder) + " holds " + socketText(change.socket) + ": " +
               std::string(toString(change.provenance)) + " (" + change.evidence + ")";
    case Kind::HolderLost:
        return "- " + holderText(change.holder) + " no longer holds " + socketText(change.socket) +
               (change.processExited ? ": the process exited" : ": the descriptor was closed");
    case Kind::StateChanged:
        return "~ " + socketText(change.socket) + " state " + change.stateBefore + " -> " +
               change.socket.state;
    }
    return {};
}

} // namespace

int runWatch(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err) {
    WatchOptions options;
    try {
        options = parseWatchOptions(arguments);
    } catch (const UsageError& error) {
        err << "socklens-cli: " << error.what() << "\n\nusage:\n" << kMapUsage;
        return 2;
    }
    Journal journal(JournalHistory::ListenersOnly); // the session file keeps it
    const SessionRecording session = recordSession(options.session, journal, err);
    if (session.failed)
        return 3;
    WatchJournal recorder(journal);

    using Clock = std::chrono::steady_clock;
    const Clock::time_point start = Clock::now();
    sysmap::MachineMap before = sysmap::readMachineMap({}, kWithoutFlags);
    for (const std::string& problem : before.problems)
        err << "socklens-cli: " << problem << '\n';
    const sysmap::MapSelection selection(options.filter, before);
    const auto watched =
        std::count_if(before.sockets.begin(), before.sockets.end(),
                      [&](const auto& socket) { return selection.matches(socket); });
    out << "watching " << watched << " socket(s); " << before.unreadable.size()
        << " process(es) could not be read" << std::endl;
    recorder.recordFirst(before, options.filter);

    for (Clock::time_point next = start + options.interval;; next += options.interval) {
        if (options.duration && next > start + *options.duration)
            break;
        std::this_thread::sleep_until(next); // the interval itself, not a wait for something
        sysmap::MachineMap after = sysmap::readMachineMap({}, kWithoutFlags);
        const std::vector<sysmap::MapChange> changes = diffMaps(before, after, options.filter);
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        for (const sysmap::MapChange& change : changes) {
            char stamp[24];
            std::snprintf(stamp, sizeof stamp, "[%8.3f] ", seconds);
            out << stamp << describe(change) << '\n';
        }
        out.flush();
        recorder.record(changes);
        before = std::move(after);
    }
    return 0;
}

} // namespace socklens::cli
