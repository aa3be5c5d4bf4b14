// Per-endpoint observation budget.
#include "detect/observe/endpoint_sampler.h"

#include <gtest/gtest.h>

namespace weir::detect {
namespace {

constexpr uint64_t kSecond = 1000000000ull;

TEST(EndpointSampler, HotEndpointIsCappedRareOneAlwaysSeen) {
  EndpointSampler s(10, 20);
  uint64_t now = kSecond;
  int hot = 0, rare = 0;
  // 1M requests/s on one endpoint for one second, one request/s on another.
  for (int i = 0; i < 1000000; ++i) {
    now += 1000;  // 1 us
    hot += s.admit(1111, now);
    if (i % 100000 == 0) rare += s.admit(2222, now);
  }
  EXPECT_GE(hot, 20 + 9);
  EXPECT_LE(hot, 20 + 11);
  EXPECT_EQ(rare, 10);
  EXPECT_EQ(s.admitted(), static_cast<uint64_t>(hot + rare));
}

TEST(EndpointSampler, RefillsOverTimeUpToTheBurst) {
  EndpointSampler s(2, 4);
  uint64_t now = kSecond;
  int n = 0;
  for (int i = 0; i < 10; ++i) n += s.admit(5, now);
  EXPECT_EQ(n, 4);
  now += 10 * kSecond;  // would be 20 tokens, capped at 4
  n = 0;
  for (int i = 0; i < 10; ++i) n += s.admit(5, now);
  EXPECT_EQ(n, 4);
  now += kSecond / 2;  // one token
  EXPECT_TRUE(s.admit(5, now));
  EXPECT_FALSE(s.admit(5, now));
}

TEST(EndpointSampler, ZeroRateDisables) {
  EndpointSampler s(0, 10);
  EXPECT_FALSE(s.admit(1, kSecond));
  EXPECT_EQ(s.sampled_out(), 1u);
}

}  // namespace
}  // namespace weir::detect
