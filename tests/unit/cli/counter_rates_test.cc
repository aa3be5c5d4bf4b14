#include "cli/counter_rates.h"

#include <gtest/gtest.h>

#include "cli/cli_exit_code.h"

namespace weir::cli {
namespace {

CounterSnapshot snap(int64_t at_ms, std::map<std::string, uint64_t> counters) {
  return CounterSnapshot{at_ms, std::move(counters)};
}

TEST(CounterRates, FirstSnapshotHasNoRates) {
  const auto rows = counter_rows(snap(1000, {{"rx", 10}}), nullptr);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].value, 10u);
  EXPECT_FALSE(rows[0].rate_per_s.has_value());
}

TEST(CounterRates, RateUsesSnapshotTimes) {
  const auto before = snap(10'000, {{"rx", 100}, {"tx", 50}});
  const auto after = snap(12'000, {{"rx", 1100}, {"tx", 50}, {"new", 7}});
  const auto rows = counter_rows(after, &before);
  ASSERT_EQ(rows.size(), 3u);  // name order: new, rx, tx
  EXPECT_EQ(rows[0].name, "new");
  EXPECT_FALSE(rows[0].rate_per_s.has_value());  // not in the earlier snapshot
  EXPECT_DOUBLE_EQ(*rows[1].rate_per_s, 500.0);   // 1000 over 2 s
  EXPECT_DOUBLE_EQ(*rows[2].rate_per_s, 0.0);
}

TEST(CounterRates, CounterResetGivesNoRate) {
  const auto before = snap(1000, {{"rx", 5000}});
  const auto rows = counter_rows(snap(2000, {{"rx", 10}}), &before);
  EXPECT_FALSE(rows[0].rate_per_s.has_value());
}

TEST(CounterRates, TrackerKeepsRatesAcrossRepeatedSnapshot) {
  CounterRateTracker tracker;
  EXPECT_FALSE(tracker.update(snap(1000, {{"rx", 0}}))[0].rate_per_s.has_value());
  EXPECT_DOUBLE_EQ(*tracker.update(snap(2000, {{"rx", 300}}))[0].rate_per_s, 300.0);
  // Polled again before the dataplane pushed a new snapshot: same rate, not 0.
  EXPECT_DOUBLE_EQ(*tracker.update(snap(2000, {{"rx", 300}}))[0].rate_per_s, 300.0);
  EXPECT_DOUBLE_EQ(*tracker.update(snap(2500, {{"rx", 400}}))[0].rate_per_s, 200.0);
}

TEST(CounterRates, SnapshotFromApiJson) {
  const auto j = nlohmann::json::parse(
      R"({"at":"2026-12-04T16:22:35.900Z","age_ms":3,"connected":true,
          "totals":{"rx_packets":18446744073709551615,"drop.blocked":2},"workers":[]})");
  const auto s = snapshot_from_json(j);
  EXPECT_EQ(s.counters.at("rx_packets"), 18446744073709551615ULL);
  EXPECT_EQ(s.counters.at("drop.blocked"), 2u);
  EXPECT_EQ(s.at_ms % 1000, 900);
  EXPECT_THROW(snapshot_from_json(nlohmann::json::parse(R"({"totals":{}})")), CliError);
  EXPECT_THROW(snapshot_from_json(nlohmann::json::parse(
                   R"({"at":"2026-12-04T16:22:35.900Z","totals":{"x":-1}})")),
               CliError);
}

}  // namespace
}  // namespace weir::cli
