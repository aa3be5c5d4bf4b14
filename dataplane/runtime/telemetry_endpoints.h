#pragma once
// DPDK telemetry commands (/var/run/dpdk/<prefix>/dpdk_telemetry.v2; read with
// dpdk-telemetry.py): /weir/stats, /weir/workers, /weir/latency, /weir/ports,
// /weir/pairs and, with --enable-test-hooks, /weir/test/stall,<worker>,<ms>.
// Callbacks run on DPDK's telemetry thread and only read worker counters.

namespace weir::dp {

struct DataplaneContext;

/// Registers the commands; `ctx` must outlive the process's telemetry use.
void register_telemetry(DataplaneContext& ctx);

}  // namespace weir::dp
