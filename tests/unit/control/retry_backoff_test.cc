// Exponential backoff with equal jitter: doubling, cap, bounds, reset, and
// jitter that actually varies.
#include "control/export/retry_backoff.h"

#include <gtest/gtest.h>

#include <set>

namespace weir::ctl {
namespace {

TEST(RetryBackoff, DoublesWithinJitterBoundsUpToTheCap) {
  RetryBackoff b(100, 1000, 7);
  const uint32_t ceilings[] = {100, 200, 400, 800, 1000, 1000};
  for (uint32_t ceiling : ceilings) {
    EXPECT_EQ(b.ceiling_ms(), ceiling);
    const uint32_t d = b.next_delay_ms();
    EXPECT_GE(d, ceiling / 2);
    EXPECT_LE(d, ceiling);
  }
  EXPECT_EQ(b.failures(), 6u);
}

TEST(RetryBackoff, ResetStartsOver) {
  RetryBackoff b(50, 10000, 1);
  for (int i = 0; i < 5; ++i) b.next_delay_ms();
  EXPECT_EQ(b.ceiling_ms(), 1600u);
  b.reset();
  EXPECT_EQ(b.ceiling_ms(), 50u);
  EXPECT_LE(b.next_delay_ms(), 50u);
}

TEST(RetryBackoff, JitterSpreadsExporters) {
  std::set<uint32_t> delays;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    RetryBackoff b(1000, 60000, seed);
    delays.insert(b.next_delay_ms());
  }
  EXPECT_GT(delays.size(), 10u);
}

TEST(RetryBackoff, NeverOverflowsAfterManyFailures) {
  RetryBackoff b(500, 60000, 3);
  for (int i = 0; i < 1000; ++i) EXPECT_LE(b.next_delay_ms(), 60000u);
  EXPECT_EQ(b.ceiling_ms(), 60000u);
}

}  // namespace
}  // namespace weir::ctl
