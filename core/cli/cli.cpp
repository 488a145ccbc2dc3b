#include "cli/cli.h"

#include "broker/broker.h"
#include "cli/map_arguments.h"
#include "cli/map_commands.h"
#include "cli/session_recording.h"
#include "model/entry_text.h"
#include "model/session_reader.h"
#include "model/session_writer.h"
#include "report/claims.h"
#include "report/report_file.h"
#include "scenario/builtin_scenarios.h"
#include "scenario/scenario_runner.h"
#include "version.h"

#include <cstdio>
#include <iomanip>
#include <memory>

namespace socklens::cli {

namespace {

constexpr const char* kUsage = R"(usage:
  socklens-cli run SCENARIO|builtin:NAME [--backend linux|winsock]
                   [--report FILE.json|.html|.pdf|.csv] [--session FILE] [--tick-ms N] [--quiet]
  socklens-cli report SESSION [--format json|html|pdf|csv] -o FILE
  socklens-cli list-builtins
  socklens-cli --help | --version
  socklens-cli map | watch [FILTERS] (below)

run       runs a scenario against real helper processes, prints each step and what the
          OS reported, and exits 1 when an expectation fails (naming the step).
--backend linux (default): Linux helpers; winsock: socklens-helper.exe under Wine, with
          real Winsock (needs wine and the mingw-w64-built helper).
--report  writes the report at the end of the run, in the format its extension names
          (docs/report-format.md).
--session writes the journal as it grows (docs/session-format.md).
report    renders a session file as a report; --format defaults to -o's extension. A
          damaged session gives a report of its valid part and exit code 3.
--tick-ms observation interval in milliseconds (default 100, i.e. 10 Hz).
--quiet   prints only the steps' outcomes and the claims, not every observation.
)";

struct RunOptions {
    std::string scenario;
    std::string backend = "linux";
    std::string report;
    report::ReportFormat reportFormat = report::ReportFormat::Json;
    std::string session;
    int tickMs = 100;
    bool quiet = false;
};

struct ReportOptions {
    std::string session;
    std::string output;
    report::ReportFormat format = report::ReportFormat::Json;
};

report::ReportFormat formatOfPath(const std::string& path, const std::string& option) {
    if (const auto format = report::reportFormatFromPath(path))
        return *format;
    throw UsageError(option + " " + path + ": the file name must end in " +
                     report::reportFormatNames(".") + " to choose a format");
}

/// Refuses, before anything runs, a format this build cannot write.
void requireWriter(report::ReportFormat format, const ReportWriter& qtReports) {
    if (!report::coreWrites(format) && !qtReports)
        throw UsageError("HTML and PDF reports are drawn by socklens-report-renderer, which is "
                         "not installed beside this socklens-cli; it writes JSON and CSV only");
}

ReportOptions parseReportOptions(const std::vector<std::string>& arguments,
                                 const ReportWriter& qtReports) {
    ReportOptions options;
    std::string format;
    for (std::size_t i = 1; i < arguments.size(); ++i) {
        const std::string& argument = arguments[i];
        auto value = [&]() -> const std::string& { return optionValue(arguments, i); };
        if (argument == "--format")
            format = value();
        else if (argument == "-o" || argument == "--output")
            options.output = value();
        else if (!argument.empty() && argument[0] == '-')
            throw UsageError("unknown option " + argument);
        else if (options.session.empty())
            options.session = argument;
        else
            throw UsageError("one session per report (got " + options.session + " and " + argument +
                             ")");
    }
    if (options.session.empty())
        throw UsageError("report needs a session file");
    if (options.output.empty())
        throw UsageError("report needs -o FILE");
    if (options.output == options.session) // the report would overwrite its own input
        throw UsageError("-o names the session file itself; choose another file for the report");
    if (format.empty()) {
        options.format = formatOfPath(options.output, "-o");
    } else {
        const auto named = report::reportFormatFromName(format);
        if (!named)
            throw UsageError("unknown report format " + format + " (" +
                             report::reportFormatNames() + ")");
        options.format = *named;
    }
    requireWriter(options.format, qtReports);
    return options;
}

/// 0 when written, 3 (with a sentence on `err`) when not.
int writeReport(report::ReportFormat format, const report::ReportInput& input,
                const std::string& path, const ReportWriter& qtReports, std::ostream& out,
                std::ostream& err) {
    try {
        if (report::coreWrites(format))
            report::writeCoreReport(format, input, path);
        else
            qtReports(format, input, path);
    } catch (const report::ReportError& error) {
        err << "socklens-cli: " << error.what() << '\n';
        return 3;
    }
    out << "report written to " << path << '\n';
    return 0;
}

RunOptions parseRunOptions(const std::vector<std::string>& arguments,
                           const ReportWriter& qtReports) {
    RunOptions options;
    for (std::size_t i = 1; i < arguments.size(); ++i) {
        const std::string& argument = arguments[i];
        auto value = [&]() -> const std::string& { return optionValue(arguments, i); };
        if (argument == "--backend")
            options.backend = value();
        else if (argument == "--report")
            options.report = value();
        else if (argument == "--session")
            options.session = value();
        else if (argument == "--tick-ms")
            options.tickMs = int(parseNumberOption(argument, value(), 1, 60000));
        else if (argument == "--quiet")
            options.quiet = true;
        else if (!argument.empty() && argument[0] == '-')
            throw UsageError("unknown option " + argument);
        else if (options.scenario.empty())
            options.scenario = argument;
        else
            throw UsageError("only one scenario per run (got " + options.scenario + " and " +
                             argument + ")");
    }
    if (options.scenario.empty())
        throw UsageError("run needs a scenario file or builtin:NAME");
    if (options.backend != "linux" && options.backend != "winsock")
        throw UsageError("unknown backend " + options.backend + " (linux, winsock)");
    if (!options.report.empty()) {
        options.reportFormat = formatOfPath(options.report, "--report");
        requireWriter(options.reportFormat, qtReports);
    }
    return options;
}

bool quietShows(const JournalEntry& entry) {
    return std::holds_alternative<entry::StepStarted>(entry.payload) ||
           std::holds_alternative<entry::StepFinished>(entry.payload) ||
           std::holds_alternative<entry::ScenarioFinished>(entry.payload) ||
           std::holds_alternative<entry::CommandFailed>(entry.payload) ||
           std::holds_alternative<entry::ProcessExited>(entry.payload) ||
           std::holds_alternative<entry::Problem>(entry.payload);
}

void printClaims(const State& state, std::span<const JournalEntry> journal, std::ostream& out) {
    out << "\nclaims:\n";
    for (const report::ClaimResult& claim : report::evaluateClaims(state, journal)) {
        out << "  " << std::left << std::setw(4) << claim.id << std::setw(13)
            << toString(claim.status) << claim.summary;
        if (!claim.evidence.empty()) {
            // The OS readings first: they are what shows the claim.
            const auto& cited = claim.readings.empty() ? claim.evidence : claim.readings;
            out << (claim.readings.empty() ? "  (entries" : "  (OS readings");
            for (std::size_t i = 0; i < cited.size() && i < 8; ++i)
                out << " #" << cited[i].value();
            out << (cited.size() > 8 ? " ...)" : ")");
        }
        out << '\n';
    }
}

int run(const RunOptions& options, const ReportWriter& qtReports, std::ostream& out,
        std::ostream& err) {
    scenario::Scenario scenario;
    try {
        scenario = scenario::loadScenario(options.scenario);
    } catch (const scenario::ScenarioError& error) {
        err << "socklens-cli: " << error.what() << '\n';
        return 3;
    }

    broker::BrokerOptions brokerOptions;
    brokerOptions.tickInterval = std::chrono::milliseconds(options.tickMs);
    brokerOptions.backend = options.backend == "winsock" ? Platform::WinsockWine : Platform::Linux;
    if (options.quiet) // the journal's lines are not printed, but a long wait says why
        brokerOptions.progress = [&out](const std::string& text) {
            out << "socklens-cli: " << text << '\n' << std::flush;
        };
    broker::Broker broker(brokerOptions);
    if (brokerOptions.backend == Platform::WinsockWine) {
        if (const auto why = broker::winsockUnavailable(broker.options().winsockHelperPath)) {
            err << "socklens-cli: " << *why << '\n';
            return 3;
        }
    }

    const SessionRecording session = recordSession(options.session, broker.journal(), err);
    if (session.failed)
        return 3;
    const std::int64_t start = wallClockMicros();
    broker.journal().addListener([&](const JournalEntry& entry) {
        if (options.quiet && !quietShows(entry))
            return;
        char stamp[32];
        std::snprintf(stamp, sizeof stamp, "[%8.3f] #%-4llu ", double(entry.timeUs - start) / 1e6,
                      static_cast<unsigned long long>(entry.sequence.value()));
        out << stamp << describeEntry(entry, broker.state()) << '\n' << std::flush;
    });

    scenario::ScenarioRunner runner(broker, std::move(scenario));
    const scenario::RunResult result = runner.run();
    printClaims(broker.state(), broker.journal().entries(), out);

    if (!options.report.empty()) {
        const int written = writeReport(options.reportFormat,
                                        report::liveReportInput(broker.journal(), broker.state()),
                                        options.report, qtReports, out, err);
        if (written != 0)
            return written;
    }
    if (!result.passed) {
        err << "socklens-cli: " << result.firstFailure << '\n';
        return 1;
    }
    return 0;
}

int renderSession(const ReportOptions& options, const ReportWriter& qtReports, std::ostream& out,
                  std::ostream& err) {
    const LoadedSession session = readSessionFile(options.session);
    if (!session.complete())
        err << "socklens-cli: " << session.error << '\n';
    if (session.entries.empty() && !session.complete())
        return 3;
    const State state = fold(session.entries);
    const report::ReportInput input{session.entries, state, session.header, wallClockMicros()};
    const int written = writeReport(options.format, input, options.output, qtReports, out, err);
    return written != 0 ? written : session.complete() ? 0 : 3;
}

} // namespace

int runCli(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err,
           const ReportWriter& qtReports) {
    const std::string command = arguments.empty() ? std::string() : arguments[0];
    try {
        if (command == "--help" || command == "-h" || command == "help") {
            out << kUsage << '\n' << kMapUsage;
            return 0;
        }
        if (command == "--version") {
            out << "socklens-cli " << kVersion << '\n';
            return 0;
        }
        if (command == "list-builtins") {
            for (const scenario::BuiltinScenario& builtin : scenario::builtinScenarios()) {
                const std::string text(builtin.text);
                const std::string title =
                    text.rfind("# ", 0) == 0 ? text.substr(2, text.find('\n') - 2) : "";
                // The space keeps a name as long as the column apart from its title.
                out << std::left << std::setw(18) << builtin.name << ' ' << title << '\n';
            }
            return 0;
        }
        if (command == "run")
            return run(parseRunOptions(arguments, qtReports), qtReports, out, err);
        if (command == "map")
            return runMap(arguments, out, err);
        if (command == "watch")
            return runWatch(arguments, out, err);
        if (command == "report")
            return renderSession(parseReportOptions(arguments, qtReports), qtReports, out, err);
        throw UsageError(command.empty() ? "no command given" : "unknown command " + command);
    } catch (const UsageError& error) {
        err << "socklens-cli: " << error.what() << "\n\n" << kUsage;
        return 2;
    } catch (const broker::BrokerError& error) {
        err << "socklens-cli: " << error.what() << '\n';
        return 3;
    } catch (const std::exception& error) {
        // Last resort: whatever escaped is a sentence and an exit code, never an abort.
        err << "socklens-cli: stopped by an unexpected error: " << error.what() << '\n';
        return 3;
    }
}

} // namespace socklens::cli
