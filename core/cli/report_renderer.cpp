#include "cli/report_renderer.h"

#include "broker/broker.h"
#include "broker/child_process.h"
#include "model/session_writer.h"
#include "report/report_file.h"

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <unistd.h>

namespace socklens::cli {

namespace {

/// The report's journal as a session file only we can read, removed when this goes.
class TemporarySession {
public:
    explicit TemporarySession(const report::ReportInput& input) {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "socklens-report-XXXXXX.jsonl").string();
        const int fd = ::mkstemps(pattern.data(), int(std::strlen(".jsonl")));
        if (fd < 0)
            throw report::ReportError("cannot create a temporary file in " +
                                      std::filesystem::temp_directory_path().string() +
                                      " for the report renderer: " + std::strerror(errno));
        ::close(fd);
        path_ = pattern;
        try {
            SessionWriter writer(path_, input.session);
            writer.write(input.journal);
        } catch (const std::exception& error) {
            ::unlink(path_.c_str());
            throw report::ReportError(error.what());
        }
    }
    ~TemporarySession() { ::unlink(path_.c_str()); }
    TemporarySession(const TemporarySession&) = delete;
    TemporarySession& operator=(const TemporarySession&) = delete;

    const std::string& path() const { return path_; }

private:
    std::string path_;
};

/// Everything `fd` gives until its writers close it.
std::string readToEnd(int fd) {
    std::string text;
    std::array<char, 4096> buffer;
    for (;;) {
        const ssize_t got = ::read(fd, buffer.data(), buffer.size());
        if (got > 0)
            text.append(buffer.data(), std::size_t(got));
        else if (got == 0 || errno != EINTR)
            return text;
    }
}

/// Runs the renderer on `session`; throws ReportError with its sentence when it fails.
void render(const std::string& program, const std::string& session, report::ReportFormat format,
            const std::string& path) {
    int errors[2];
    if (::pipe2(errors, O_CLOEXEC) != 0)
        throw report::ReportError(std::string("cannot start the report renderer: ") +
                                  std::strerror(errno));
    OsPid child;
    try {
        child = broker::startChild({program,
                                    {program, session, std::string(report::toString(format)), path},
                                    {{errors[1], STDERR_FILENO}},
                                    {}});
    } catch (const std::exception& error) {
        ::close(errors[0]);
        ::close(errors[1]);
        throw report::ReportError(error.what());
    }
    ::close(errors[1]);
    std::string said = readToEnd(errors[0]);
    ::close(errors[0]);
    const broker::ChildEnd end = broker::waitForChild(child);
    if (end.succeeded)
        return;
    while (!said.empty() && said.back() == '\n')
        said.pop_back();
    throw report::ReportError(!said.empty() ? said
                                            : "the report renderer (" + program + ") " +
                                                  end.description + " without writing " + path);
}

} // namespace

ReportWriter rendererProcess() {
    std::string program = broker::companionProgramPath(kReportRendererName);
    if (::access(program.c_str(), X_OK) != 0)
        return {};
    return
        [program = std::move(program)](report::ReportFormat format,
                                       const report::ReportInput& input, const std::string& path) {
            const TemporarySession session(input);
            render(program, session.path(), format, path);
        };
}

} // namespace socklens::cli
