#pragma once
// Port pairs: the bump-in-the-wire unit. Every frame received on one port of a
// pair leaves on the other. This file resolves the configured device names to
// DPDK ports, configures them (one RX and one TX queue per worker, symmetric
// RSS where the PMD has it) and keeps each pair's run-time state.

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include <rte_ethdev.h>
#include <rte_mempool.h>

#include "config/weir_config.h"
#include "dataplane/packet.h"

namespace weir::dp {

/// What a pair does with traffic right now.
enum class PairMode : uint8_t {
  Inspect,     ///< normal operation
  Bypass,      ///< fail open: bridged uninspected (a worker is stuck)
  FailClosed,  ///< fail closed: dropped (and links brought down where possible)
};

struct PortPair {
  std::string name;
  uint16_t port[2] = {0, 0};  ///< indexed by Side
  config::FailMode fail = config::FailMode::Open;
  bool link_propagation = true;
  std::atomic<PairMode> mode{PairMode::Inspect};
  PairMode configured_mode = PairMode::Inspect;  ///< what the pair returns to after a failure
  // Link state as the main lcore last saw it, and what it forced.
  bool link_up[2] = {false, false};
  bool forced_down[2] = {false, false};
  bool link_control_supported[2] = {true, true};
};

/// Maps a DPDK port id to its pair and side (filled by setup_port_pairs).
struct PortMapEntry {
  uint8_t pair = 0;
  Side side = Side::Client;
  bool used = false;
  uint16_t peer_port = 0;  ///< the pair's other port: where frames from this one leave
};

struct PortSetupResult {
  bool ok = false;
  std::string error;       ///< one line, with config file:line when it is a config problem
  bool config_error = false;
};

/// Resolves names, configures and starts every port of every pair.
PortSetupResult setup_port_pairs(const config::Config& cfg, unsigned n_workers, rte_mempool* pool,
                                 std::vector<PortPair>& pairs,
                                 PortMapEntry (&port_map)[RTE_MAX_ETHPORTS]);

/// Resolves names only (for --check-config): reports a missing port like a config error.
PortSetupResult check_port_names(const config::Config& cfg);

/// Stops and closes every port.
void close_port_pairs(std::vector<PortPair>& pairs);

}  // namespace weir::dp
