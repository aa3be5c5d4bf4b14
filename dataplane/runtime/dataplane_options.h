#pragma once
// weir-dataplane's own command line (after EAL's, behind "--").

#include <optional>
#include <string>

namespace weir::dp {

struct DataplaneOptions {
  std::string config_path;       ///< empty: the embedded default
  bool check_config = false;     ///< validate config, lcores and ports, then exit
  bool test_hooks = false;       ///< telemetry commands that stall workers (tests only)
  std::string replay_in;         ///< offline replay: capture with both directions
  std::string replay_out;        ///< forwarded frames
  std::string replay_stats;      ///< counters as JSON after replay
  std::string replay_streams;    ///< directory for the TCP byte streams reassembly delivered
  std::string client_net;        ///< replay: sources in this CIDR are the client side
  std::string state_dir;         ///< known-good config pushed by weir-control is kept here
  bool no_control = false;       ///< run without the control link (benchmarks)
};

/// Parses argv (without EAL's part). Returns an error line or nullopt.
std::optional<std::string> parse_dataplane_options(int argc, char** argv, DataplaneOptions& out);

const char* dataplane_usage();

}  // namespace weir::dp
