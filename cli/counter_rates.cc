#include "cli/counter_rates.h"

#include "cli/cli_exit_code.h"
#include "cli/api_time.h"

namespace weir::cli {

CounterSnapshot snapshot_from_json(const nlohmann::json& stats, const char* counters_key) {
  CounterSnapshot snapshot;
  if (!stats.is_object() || !stats.contains("at") || !stats["at"].is_string()) {
    throw CliError(ExitCode::Failed, "stats answer has no \"at\" timestamp");
  }
  const auto at = parse_rfc3339_ms(stats["at"].get<std::string>());
  if (!at) throw CliError(ExitCode::Failed, "stats answer has a malformed \"at\" timestamp");
  snapshot.at_ms = *at;
  if (!stats.contains(counters_key) || !stats[counters_key].is_object()) {
    throw CliError(ExitCode::Failed, std::string("stats answer has no \"") + counters_key + "\"");
  }
  for (const auto& [name, value] : stats[counters_key].items()) {
    if (!value.is_number_unsigned() && !(value.is_number_integer() && value.get<int64_t>() >= 0)) {
      throw CliError(ExitCode::Failed, "counter '" + name + "' is not a non-negative integer");
    }
    snapshot.counters[name] = value.get<uint64_t>();
  }
  return snapshot;
}

std::vector<CounterRow> counter_rows(const CounterSnapshot& current,
                                     const CounterSnapshot* previous) {
  std::vector<CounterRow> rows;
  rows.reserve(current.counters.size());
  const bool can_rate = previous != nullptr && previous->at_ms < current.at_ms;
  for (const auto& [name, value] : current.counters) {
    CounterRow row{name, value, std::nullopt};
    if (can_rate) {
      const auto it = previous->counters.find(name);
      if (it != previous->counters.end() && it->second <= value) {
        const double seconds = static_cast<double>(current.at_ms - previous->at_ms) / 1000.0;
        row.rate_per_s = static_cast<double>(value - it->second) / seconds;
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<CounterRow> CounterRateTracker::update(CounterSnapshot snapshot) {
  if (!current_ || snapshot.at_ms != current_->at_ms) {
    previous_ = std::move(current_);
    current_ = std::move(snapshot);
  }
  return counter_rows(*current_, previous_ ? &*previous_ : nullptr);
}

}  // namespace weir::cli
