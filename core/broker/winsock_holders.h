// Winsock: every holder of the session's sockets, from the system handle table. One helper
// (the first running) reads the table for all of them, after the observation's readings, so
// the handles it copies in to compare never show in a HandleCount. Processes that are not
// helpers join the session as they are found (as on Linux) and leave when the table no longer
// lists them; each holder carries its inherit flag (OBJ_INHERIT).
#pragma once

#include "broker/kernel_backend.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace socklens::broker {

class WinsockHolders {
public:
    explicit WinsockHolders(BackendContext& context)
        : context_(context) {}

    /// What the handle table showed of one socket.
    struct Seen {
        std::vector<entry::Holder> outside; ///< holders that are not helpers
        /// HandleCount read through one of its handles (by the reading helper); nullopt: none.
        std::optional<std::uint32_t> handleCount;
    };
    struct Table {
        std::map<SocketId, Seen> sockets;
        /// The inherit flag of every handle found, by (Windows pid, handle).
        std::map<std::pair<std::int64_t, std::int64_t>, entry::Inheritance> inheritance;
        bool read = false; ///< false: no helper could read it (none running, or it failed)
    };

    /// Reads the table for every open Winsock socket: the inherit flag of each known handle,
    /// and for the sockets in `search` every other handle to them (each candidate is copied
    /// into the reading helper for a moment, which HandleCount readings elsewhere would see, so
    /// only where the count is not explained or outside holders are followed). Journals
    /// outside processes and their descriptors that came or went.
    Table observe(const std::string& winePrefix, const std::set<SocketId>& search);

    /// The running Winsock helper that reads the handle table for the session.
    std::optional<ProcessId> reader() const;
    bool isHelper(std::int64_t windowsPid) const;
    /// Journals each sentence once per session.
    void journalNotes(const std::vector<std::string>& notes);
    /// The session's process for a Windows pid that is not a helper's, joining it when new.
    ProcessId processFor(std::int64_t pid, const std::string& image, const std::string& winePrefix);

private:
    void journalGone(const Table& table, const std::set<std::int64_t>& running);

    BackendContext& context_;
    std::set<std::string> noted_;       ///< what was said once already
    std::optional<std::string> broken_; ///< why the table cannot be read in this session
};

} // namespace socklens::broker
