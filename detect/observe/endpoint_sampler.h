#pragma once
// EndpointSampler: a per-worker token bucket per endpoint (sampling key
// hash), so that a hot endpoint yields at most `rate_per_s` observations
// per second (plus a burst) while a rare one is always seen. A fixed table
// of kSlots buckets indexed by the key hash: no allocation, O(1); two
// endpoints sharing a slot share a budget (the table is sized so that this
// is rare and harmless). Not thread-safe: one per worker.

#include <array>
#include <cstddef>
#include <cstdint>

namespace weir::detect {

class EndpointSampler {
 public:
  static constexpr size_t kSlots = 4096;

  /// rate_per_s == 0 disables observations entirely.
  EndpointSampler(uint32_t rate_per_s, uint32_t burst);

  /// true: emit an observation for this request now (consumes a token).
  bool admit(uint64_t endpoint_key, uint64_t now_ns);

  uint64_t admitted() const { return admitted_; }
  uint64_t sampled_out() const { return sampled_out_; }

 private:
  struct Bucket {
    uint64_t key = 0;
    uint64_t last_ns = 0;
    uint32_t tokens_milli = 0;  ///< tokens * 1000
  };

  uint32_t rate_per_s_;
  uint32_t burst_milli_;
  uint64_t admitted_ = 0;
  uint64_t sampled_out_ = 0;
  std::array<Bucket, kSlots> buckets_{};
};

}  // namespace weir::detect
