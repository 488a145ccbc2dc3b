// Which Linux process runs a Windows process of socklens's Wine prefix. Wine names no Linux
// pid for a Windows one, so it is told by what /proc shows: a process whose environment has
// that WINEPREFIX and whose command line starts with a Windows path to that image.
#pragma once

#include "model/ids.h"

#include <cstdint>
#include <optional>
#include <set>
#include <string>

namespace socklens::broker {

/// The one Linux process of `prefix` running `image` ("handle-taker.exe"), leaving out
/// `known` (Linux pids already told); nullopt when none or more than one fit.
std::optional<OsPid> wineLinuxPid(const std::string& prefix, const std::string& image,
                                  const std::set<std::int64_t>& known);

} // namespace socklens::broker
