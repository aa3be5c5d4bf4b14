#include "dataplane/runtime/latency_histogram.h"

#include <gtest/gtest.h>

namespace weir::dp {
namespace {

TEST(LatencyHistogram, BucketBoundsContainTheirValues) {
  for (uint64_t ns : {0ull, 1ull, 3ull, 4ull, 7ull, 8ull, 9ull, 100ull, 1023ull, 1024ull, 123456789ull, ~0ull >> 1}) {
    int b = LatencyHistogram::bucket_of(ns);
    EXPECT_GE(LatencyHistogram::upper_bound_ns(b), ns) << ns;
    if (b > 0) {
      EXPECT_LT(LatencyHistogram::upper_bound_ns(b - 1), ns) << ns;
    }
  }
}

TEST(LatencyHistogram, QuantilesWithinBucketError) {
  LatencyHistogram h;
  EXPECT_EQ(h.quantile_ns(0.5), 0u);
  for (uint64_t i = 1; i <= 1000; ++i) h.add(i * 100);  // 100 ns .. 100 us, uniform
  EXPECT_EQ(h.total(), 1000u);
  uint64_t p50 = h.quantile_ns(0.5), p99 = h.quantile_ns(0.99);
  EXPECT_GE(p50, 50000u);
  EXPECT_LE(p50, 50000u * 5 / 4);
  EXPECT_GE(p99, 99000u);
  EXPECT_LE(p99, 99000u * 5 / 4);
}

TEST(LatencyHistogram, MergeAddsCounts) {
  LatencyHistogram a, b;
  a.add(10);
  b.add(10);
  b.add(100000);
  a.merge(b);
  EXPECT_EQ(a.total(), 3u);
  EXPECT_GE(a.quantile_ns(0.99), 100000u);
}

}  // namespace
}  // namespace weir::dp
