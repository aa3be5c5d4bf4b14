#pragma once
// What the section tests share: the smallest valid config (one port pair)
// that a section is appended to, and the one-line error such a config gives.

#include <string>

#include "config/weir_config.h"

namespace weir::config {

inline const std::string kPairs =
    "pairs:\n"
    "  - name: lab\n"
    "    client_port: p0\n"
    "    server_port: p1\n";

/// `FILE:LINE: KEY: WHAT` for the pair plus `extra`, or "" when it loads.
inline std::string error_of(const std::string& extra) {
  try {
    parse_config(kPairs + extra, "w.yaml");
  } catch (const ConfigError& e) {
    return format_error(e);
  }
  return "";
}

}  // namespace weir::config
