// Auth failure rate limit per address: N failures a minute, then limited,
// refilled over time, independent per address, bounded memory.
#include "control/auth/auth_rate_limiter.h"

#include <gtest/gtest.h>

namespace weir::ctl {
namespace {

constexpr int64_t kSec = 1'000'000'000;

TEST(AuthRateLimiter, LimitsAfterNFailures) {
  AuthRateLimiter l(3);
  const int64_t t = 100 * kSec;
  EXPECT_FALSE(l.limited("198.18.0.1", t));
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(l.limited("198.18.0.1", t));
    l.record_failure("198.18.0.1", t);
  }
  EXPECT_TRUE(l.limited("198.18.0.1", t));
  EXPECT_FALSE(l.limited("198.18.0.2", t));
}

TEST(AuthRateLimiter, RefillsOverTheMinute) {
  AuthRateLimiter l(6);  // one failure back every 10 s
  const int64_t t = 100 * kSec;
  for (int i = 0; i < 6; ++i) l.record_failure("a", t);
  EXPECT_TRUE(l.limited("a", t + 9 * kSec));
  EXPECT_FALSE(l.limited("a", t + 11 * kSec));
  l.record_failure("a", t + 11 * kSec);
  EXPECT_TRUE(l.limited("a", t + 12 * kSec));
  EXPECT_FALSE(l.limited("a", t + 200 * kSec));
}

TEST(AuthRateLimiter, ForgetsTheStalestAddressWhenFull) {
  AuthRateLimiter l(1, 2);
  l.record_failure("a", 1 * kSec);
  l.record_failure("b", 2 * kSec);
  l.record_failure("c", 3 * kSec);  // evicts "a"
  EXPECT_FALSE(l.limited("a", 3 * kSec));
  EXPECT_TRUE(l.limited("b", 3 * kSec));
  EXPECT_TRUE(l.limited("c", 3 * kSec));
}

}  // namespace
}  // namespace weir::ctl
