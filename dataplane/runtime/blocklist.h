#pragma once
// Blocklist: addresses and CIDR ranges (IPv4/IPv6) whose packets are dropped,
// each with an expiry. An immutable snapshot is built by the main lcore (the
// single writer) and published to workers with RCU; workers only read.
// Lookup: one sorted array of masked addresses per distinct prefix length,
// binary-searched, longest prefixes first.

#include <cstdint>
#include <string>
#include <vector>

#include "config/cidr.h"
#include "dataplane/packet.h"

namespace weir::dp {

struct BlockEntry {
  config::Cidr cidr;
  uint64_t expires_unix_ms = 0;  ///< 0: never
};

class BlocklistSnapshot {
 public:
  BlocklistSnapshot() = default;
  explicit BlocklistSnapshot(const std::vector<BlockEntry>& entries, uint64_t generation);

  bool empty() const { return levels_.empty(); }
  bool contains(const IpAddress& addr) const;
  uint64_t generation() const { return generation_; }
  size_t size() const { return size_; }

 private:
  struct Level {
    uint8_t prefix_len;
    std::vector<IpAddress> keys;  ///< masked, sorted
  };
  std::vector<Level> levels_;
  uint64_t generation_ = 0;
  size_t size_ = 0;
};

/// The writer's view: the set of entries, edited by the main lcore only.
class BlocklistEditor {
 public:
  /// Adds or refreshes; returns false if the entry already existed with the same expiry.
  bool add(const config::Cidr& cidr, uint64_t expires_unix_ms);
  bool remove(const config::Cidr& cidr);
  /// Drops expired entries; returns true if any was removed.
  bool expire(uint64_t now_unix_ms);
  const std::vector<BlockEntry>& entries() const { return entries_; }

 private:
  std::vector<BlockEntry> entries_;
};

IpAddress mask_address(const IpAddress& a, uint8_t prefix_len);

}  // namespace weir::dp
