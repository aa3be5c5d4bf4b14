#pragma once
// Sums every worker's counters, flow-table stats and latency into one named
// list: the single source for telemetry, the control link and replay output.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "dataplane/runtime/dataplane_context.h"
#include "dataplane/runtime/latency_histogram.h"

namespace weir::dp {

using NamedCounters = std::vector<std::pair<std::string, uint64_t>>;

/// Totals over all workers (or one worker when `only_worker` >= 0).
NamedCounters collect_counters(const DataplaneContext& ctx, int only_worker = -1);

/// Merged time-in-box histogram of all workers.
LatencyHistogram collect_latency(const DataplaneContext& ctx);

/// JSON object text of `counters` (for --replay-stats and logs).
std::string counters_to_json(const NamedCounters& counters);

}  // namespace weir::dp
