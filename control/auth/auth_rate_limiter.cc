// AuthRateLimiter (see auth_rate_limiter.h).
#include "control/auth/auth_rate_limiter.h"

#include <algorithm>

namespace weir::ctl {

AuthRateLimiter::AuthRateLimiter(uint32_t per_minute, size_t max_addresses)
    : capacity_(std::max<uint32_t>(per_minute, 1)), max_addresses_(max_addresses) {}

void AuthRateLimiter::set_rate(uint32_t per_minute) {
  std::lock_guard lock(mu_);
  capacity_ = std::max<uint32_t>(per_minute, 1);
}

AuthRateLimiter::Bucket& AuthRateLimiter::refill(const std::string& address, int64_t now_ns) {
  auto it = buckets_.find(address);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_addresses_) {
      auto stalest = std::min_element(buckets_.begin(), buckets_.end(), [](const auto& a, const auto& b) {
        return a.second.updated_ns < b.second.updated_ns;
      });
      buckets_.erase(stalest);
    }
    it = buckets_.emplace(address, Bucket{capacity_, now_ns}).first;
  }
  Bucket& b = it->second;
  const double elapsed_min = static_cast<double>(std::max<int64_t>(0, now_ns - b.updated_ns)) / 60e9;
  b.tokens = std::min(capacity_, b.tokens + elapsed_min * capacity_);
  b.updated_ns = now_ns;
  return b;
}

bool AuthRateLimiter::limited(const std::string& address, int64_t now_ns) {
  std::lock_guard lock(mu_);
  if (buckets_.find(address) == buckets_.end()) return false;
  return refill(address, now_ns).tokens < 1.0;
}

void AuthRateLimiter::record_failure(const std::string& address, int64_t now_ns) {
  std::lock_guard lock(mu_);
  Bucket& b = refill(address, now_ns);
  b.tokens = std::max(0.0, b.tokens - 1.0);
}

}  // namespace weir::ctl
