// The machine map written out: a table for people, JSON and CSV for scripts
// (docs/machine-map.md describes both).
#pragma once

#include "sysmap/machine_map.h"

#include <ostream>
#include <string>

namespace socklens::cli {

void writeMapTable(const sysmap::MachineMap& map, std::ostream& out);
void writeMapJson(const sysmap::MachineMap& map, std::ostream& out);
void writeMapCsv(const sysmap::MachineMap& map, std::ostream& out);

/// `text` as a JSON string literal, quotes included.
std::string jsonString(std::string_view text);
/// The same, appended to `out`.
void appendJsonString(std::string& out, std::string_view text);

} // namespace socklens::cli
