#pragma once
// Failed authentications per source address: a token bucket of
// `per_minute` failures that refills continuously. While an address has no
// token left every request from it is answered 429, valid token or not,
// so guessing is slow. Bounded memory: past max_addresses the
// stalest entries are forgotten. Thread-safe.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace weir::ctl {

class AuthRateLimiter {
 public:
  explicit AuthRateLimiter(uint32_t per_minute, size_t max_addresses = 10000);

  /// True when `address` has used up its failures (the request gets 429).
  bool limited(const std::string& address, int64_t now_ns);
  /// Counts one failed authentication from `address`.
  void record_failure(const std::string& address, int64_t now_ns);
  void set_rate(uint32_t per_minute);

 private:
  struct Bucket {
    double tokens;
    int64_t updated_ns;
  };
  Bucket& refill(const std::string& address, int64_t now_ns);

  std::mutex mu_;
  double capacity_;
  size_t max_addresses_;
  std::map<std::string, Bucket> buckets_;
};

}  // namespace weir::ctl
