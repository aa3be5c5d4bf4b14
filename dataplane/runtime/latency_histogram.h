#pragma once
// Time-in-box histogram: log2-spaced buckets in nanoseconds with 4 linear
// sub-buckets each, so p50/p99 come out within ~12% without storing samples.
// Written by one worker; read (racily but harmlessly) by telemetry.

#include <array>
#include <cstdint>

namespace weir::dp {

class LatencyHistogram {
 public:
  static constexpr int kSubBits = 2;
  static constexpr int kBuckets = 64 << kSubBits;

  void add(uint64_t ns) {
    counts_[bucket_of(ns)]++;
    total_++;
  }
  uint64_t total() const { return total_; }
  uint64_t count(int bucket) const { return counts_[bucket]; }
  void merge(const LatencyHistogram& o) {
    for (int i = 0; i < kBuckets; ++i) counts_[i] += o.counts_[i];
    total_ += o.total_;
  }

  /// Upper bound (ns) of the bucket holding quantile q (0..1); 0 when empty.
  uint64_t quantile_ns(double q) const {
    if (total_ == 0) return 0;
    uint64_t want = static_cast<uint64_t>(q * static_cast<double>(total_));
    if (want >= total_) want = total_ - 1;
    uint64_t seen = 0;
    for (int i = 0; i < kBuckets; ++i) {
      seen += counts_[i];
      if (seen > want) return upper_bound_ns(i);
    }
    return upper_bound_ns(kBuckets - 1);
  }

  static int bucket_of(uint64_t ns) {
    if (ns < (1u << kSubBits)) return static_cast<int>(ns);
    int msb = 63 - __builtin_clzll(ns);
    int sub = static_cast<int>((ns >> (msb - kSubBits)) & ((1u << kSubBits) - 1));
    return ((msb - kSubBits + 1) << kSubBits) + sub;
  }
  static uint64_t upper_bound_ns(int bucket) {
    if (bucket < (1 << kSubBits)) return static_cast<uint64_t>(bucket);
    int msb = (bucket >> kSubBits) + kSubBits - 1;
    uint64_t sub = static_cast<uint64_t>(bucket & ((1 << kSubBits) - 1));
    return (uint64_t{1} << msb) + ((sub + 1) << (msb - kSubBits)) - 1;
  }

 private:
  std::array<uint64_t, kBuckets> counts_{};
  uint64_t total_ = 0;
};

}  // namespace weir::dp
