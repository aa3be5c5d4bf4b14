// EndpointSampler; see endpoint_sampler.h.
#include "detect/observe/endpoint_sampler.h"

namespace weir::detect {

EndpointSampler::EndpointSampler(uint32_t rate_per_s, uint32_t burst)
    : rate_per_s_(rate_per_s), burst_milli_((burst ? burst : 1) * 1000u) {}

bool EndpointSampler::admit(uint64_t key, uint64_t now_ns) {
  if (rate_per_s_ == 0) {
    ++sampled_out_;
    return false;
  }
  // Mix the high bits in: sampling keys are FNV hashes, their low bits alone are weak.
  Bucket& b = buckets_[(key ^ (key >> 29) ^ (key >> 47)) & (kSlots - 1)];
  if (b.key != key || b.last_ns == 0) {
    // A new endpoint (or one taking over the slot) starts with a full burst.
    b.key = key;
    b.last_ns = now_ns;
    b.tokens_milli = burst_milli_;
  } else if (now_ns > b.last_ns) {
    const uint64_t add = (now_ns - b.last_ns) * rate_per_s_ / 1000000ull;  // milli-tokens
    if (add > 0) {
      const uint64_t t = b.tokens_milli + add;
      b.tokens_milli = static_cast<uint32_t>(t > burst_milli_ ? burst_milli_ : t);
      b.last_ns = now_ns;
    }
  }
  if (b.tokens_milli >= 1000) {
    b.tokens_milli -= 1000;
    ++admitted_;
    return true;
  }
  ++sampled_out_;
  return false;
}

}  // namespace weir::detect
