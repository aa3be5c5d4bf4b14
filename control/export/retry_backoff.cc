// RetryBackoff (see retry_backoff.h).
#include "control/export/retry_backoff.h"

#include <algorithm>

namespace weir::ctl {

RetryBackoff::RetryBackoff(uint32_t initial_ms, uint32_t max_ms, uint64_t seed)
    : initial_ms_(std::max<uint32_t>(initial_ms, 1)), max_ms_(std::max(max_ms, initial_ms)), rng_(seed) {}

uint32_t RetryBackoff::ceiling_ms() const {
  uint64_t d = initial_ms_;
  for (uint32_t i = 0; i < failures_ && d < max_ms_; ++i) d *= 2;
  return static_cast<uint32_t>(std::min<uint64_t>(d, max_ms_));
}

uint32_t RetryBackoff::next_delay_ms() {
  const uint32_t d = ceiling_ms();
  if (failures_ < 64) ++failures_;
  std::uniform_int_distribution<uint32_t> jitter(d / 2, d);
  return jitter(rng_);
}

}  // namespace weir::ctl
