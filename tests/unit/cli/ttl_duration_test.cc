#include "cli/ttl_duration.h"

#include <gtest/gtest.h>

namespace weir::cli {
namespace {

TEST(ParseDuration, AcceptsEachUnit) {
  EXPECT_EQ(parse_duration_seconds("90s"), 90u);
  EXPECT_EQ(parse_duration_seconds("10m"), 600u);
  EXPECT_EQ(parse_duration_seconds("2h"), 7200u);
  EXPECT_EQ(parse_duration_seconds("1d"), 86400u);
}

TEST(ParseDuration, BareNumberIsSeconds) { EXPECT_EQ(parse_duration_seconds("45"), 45u); }

TEST(ParseDuration, CombinesGroups) {
  EXPECT_EQ(parse_duration_seconds("1h30m"), 5400u);
  EXPECT_EQ(parse_duration_seconds("1d2h3m4s"), 86400u + 7200u + 180u + 4u);
}

TEST(ParseDuration, RejectsMalformed) {
  for (const char* bad : {"", "m", "10x", "-5m", "1.5h", "10 m", "1h30", "h1", "10mm", " 10m"}) {
    EXPECT_FALSE(parse_duration_seconds(bad).has_value()) << bad;
  }
}

TEST(ParseDuration, RejectsZeroAndTooLong) {
  EXPECT_FALSE(parse_duration_seconds("0s").has_value());
  EXPECT_FALSE(parse_duration_seconds("0").has_value());
  EXPECT_EQ(parse_duration_seconds("366d"), kMaxDurationSeconds);
  EXPECT_FALSE(parse_duration_seconds("367d").has_value());
  EXPECT_FALSE(parse_duration_seconds("99999999999999999999999s").has_value());
}

TEST(FormatDuration, TwoLargestUnits) {
  EXPECT_EQ(format_duration(0), "0s");
  EXPECT_EQ(format_duration(45), "45s");
  EXPECT_EQ(format_duration(598), "9m58s");
  EXPECT_EQ(format_duration(7200), "2h");
  EXPECT_EQ(format_duration(86400 + 4 * 3600 + 59), "1d4h");
  EXPECT_EQ(format_duration(86400 + 5 * 60), "1d");
}

}  // namespace
}  // namespace weir::cli
