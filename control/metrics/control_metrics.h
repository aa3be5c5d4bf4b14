#pragma once
// weir-control's Prometheus /metrics: the dataplane's latest counter
// snapshot (per worker and totals, ports, pairs, the time-in-box
// histogram), the control plane's own state (link, events, alerts by
// severity, config generation and applies), the exporters' delivery
// counters and spool levels, and the remote admin API's auth counters.
// Naming: weir_<area>_<what>[_<unit>][_total], base units (seconds, bytes).

#include <cstdint>
#include <string>

#include "control/control_plane.h"

namespace weir::ctl {

struct AdminAuthCounters {
  uint64_t requests = 0;       ///< remote (TCP) requests
  uint64_t auth_failures = 0;  ///< missing, malformed, unknown or revoked tokens
  uint64_t forbidden = 0;      ///< valid token, scope too small
  uint64_t rate_limited = 0;   ///< answered 429
};

/// The whole exposition text (Content-Type text/plain; version=0.0.4).
std::string render_control_metrics(ControlPlane& cp, const AdminAuthCounters& auth);

/// The dataplane snapshot part alone (exposed for tests).
void render_dataplane_metrics(const ipc::CounterSnapshot& snap, class PrometheusText& out);

/// Whether a dataplane counter name is a level (gauge) rather than a count.
bool dataplane_counter_is_gauge(const std::string& name);

}  // namespace weir::ctl
