#pragma once
// Exponential backoff with jitter for export retries: the n-th consecutive
// failure waits a random time in [d/2, d] with d = initial * 2^n capped at
// max ("equal jitter"): receivers coming back are not hit by every
// exporter at once, and the wait never collapses to zero.

#include <cstdint>
#include <random>

namespace weir::ctl {

class RetryBackoff {
 public:
  RetryBackoff(uint32_t initial_ms, uint32_t max_ms, uint64_t seed = std::random_device{}());

  /// Delay before the next attempt after one more failure.
  uint32_t next_delay_ms();
  /// A success: the next failure starts from `initial` again.
  void reset() { failures_ = 0; }
  uint32_t failures() const { return failures_; }
  /// The cap d for the current failure count, without jitter.
  uint32_t ceiling_ms() const;

 private:
  uint32_t initial_ms_;
  uint32_t max_ms_;
  uint32_t failures_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace weir::ctl
