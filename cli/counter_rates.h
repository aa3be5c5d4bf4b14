#pragma once
// Rates for "weirctl stats --watch": per-second deltas between two counter
// snapshots, timed by the snapshots' own "at" (when the dataplane counted),
// not by when weirctl happened to poll.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace weir::cli {

struct CounterSnapshot {
  int64_t at_ms = 0;  ///< epoch ms of the snapshot
  std::map<std::string, uint64_t> counters;
};

struct CounterRow {
  std::string name;
  uint64_t value = 0;
  std::optional<double> rate_per_s;  ///< none on the first snapshot or after a reset
};

/// Reads "at" and the counters object (name -> unsigned integer) of a
/// /v1/stats answer; throws CliError(Failed) when the shape is wrong.
CounterSnapshot snapshot_from_json(const nlohmann::json& stats, const char* counters_key = "totals");

/// Rows in name order; rates when previous is given, older and has the
/// counter, and the counter did not go backwards (dataplane restart).
std::vector<CounterRow> counter_rows(const CounterSnapshot& current,
                                     const CounterSnapshot* previous);

/// Keeps the last two distinct snapshots across polls. Polling faster than
/// the dataplane pushes returns the same snapshot twice; the rates shown
/// then stay those of the last real change instead of dropping to zero.
class CounterRateTracker {
 public:
  std::vector<CounterRow> update(CounterSnapshot snapshot);

 private:
  std::optional<CounterSnapshot> previous_;
  std::optional<CounterSnapshot> current_;
};

}  // namespace weir::cli
