#pragma once
// LatencySketch: a fixed log-scale histogram of latencies (microseconds)
// with ~5% relative error per bucket: 1.1^i buckets up to ~3 minutes.
// Mergeable and small (kBuckets counters), so every endpoint has one.

#include <array>
#include <cmath>
#include <cstdint>

#include <nlohmann/json.hpp>

namespace weir::ctl {

class LatencySketch {
 public:
  static constexpr size_t kBuckets = 200;

  void add(uint32_t us) {
    ++counts_[bucket(us)];
    ++total_;
  }
  uint64_t count() const { return total_; }

  /// Upper bound of the bucket holding quantile q (0..1); 0 when empty.
  uint64_t quantile_us(double q) const {
    if (total_ == 0) return 0;
    const uint64_t rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(total_)));
    uint64_t seen = 0;
    for (size_t i = 0; i < kBuckets; ++i) {
      seen += counts_[i];
      if (seen >= rank && counts_[i]) return upper(i);
    }
    return upper(kBuckets - 1);
  }

  nlohmann::json to_json() const {
    nlohmann::json sparse = nlohmann::json::object();
    for (size_t i = 0; i < kBuckets; ++i)
      if (counts_[i]) sparse[std::to_string(i)] = counts_[i];
    return sparse;
  }
  void from_json(const nlohmann::json& j) {
    counts_.fill(0);
    total_ = 0;
    for (const auto& [k, v] : j.items()) {
      const size_t i = std::stoul(k);
      if (i < kBuckets && v.is_number_unsigned()) {
        counts_[i] = v.get<uint64_t>();
        total_ += counts_[i];
      }
    }
  }

 private:
  static size_t bucket(uint32_t us) {
    if (us <= 1) return 0;
    const size_t b = static_cast<size_t>(std::log(static_cast<double>(us)) / std::log(1.1)) + 1;
    return b < kBuckets ? b : kBuckets - 1;
  }
  static uint64_t upper(size_t i) { return static_cast<uint64_t>(std::ceil(std::pow(1.1, static_cast<double>(i)))); }

  std::array<uint64_t, kBuckets> counts_{};
  uint64_t total_ = 0;
};

}  // namespace weir::ctl
