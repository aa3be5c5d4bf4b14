#include "dataplane/runtime/blocklist.h"

#include <algorithm>
#include <map>

namespace weir::dp {

IpAddress mask_address(const IpAddress& a, uint8_t prefix_len) {
  IpAddress m{};
  for (int i = 0; i < 16; ++i) {
    int bits = std::clamp(static_cast<int>(prefix_len) - i * 8, 0, 8);
    m[i] = static_cast<uint8_t>(a[i] & static_cast<uint8_t>(0xff00u >> bits));
  }
  return m;
}

BlocklistSnapshot::BlocklistSnapshot(const std::vector<BlockEntry>& entries, uint64_t generation)
    : generation_(generation) {
  std::map<uint8_t, std::vector<IpAddress>, std::greater<>> by_len;
  for (const auto& e : entries) by_len[e.cidr.prefix_len].push_back(mask_address(e.cidr.addr, e.cidr.prefix_len));
  for (auto& [len, keys] : by_len) {
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    size_ += keys.size();
    levels_.push_back(Level{len, std::move(keys)});
  }
}

bool BlocklistSnapshot::contains(const IpAddress& addr) const {
  for (const auto& level : levels_) {
    IpAddress key = mask_address(addr, level.prefix_len);
    if (std::binary_search(level.keys.begin(), level.keys.end(), key)) return true;
  }
  return false;
}

bool BlocklistEditor::add(const config::Cidr& cidr, uint64_t expires_unix_ms) {
  for (auto& e : entries_) {
    if (e.cidr.prefix_len == cidr.prefix_len && e.cidr.addr == cidr.addr) {
      if (e.expires_unix_ms == expires_unix_ms) return false;
      e.expires_unix_ms = expires_unix_ms;
      return true;
    }
  }
  entries_.push_back(BlockEntry{cidr, expires_unix_ms});
  return true;
}

bool BlocklistEditor::remove(const config::Cidr& cidr) {
  auto it = std::remove_if(entries_.begin(), entries_.end(), [&](const BlockEntry& e) {
    return e.cidr.prefix_len == cidr.prefix_len && e.cidr.addr == cidr.addr;
  });
  bool removed = it != entries_.end();
  entries_.erase(it, entries_.end());
  return removed;
}

bool BlocklistEditor::expire(uint64_t now_unix_ms) {
  auto it = std::remove_if(entries_.begin(), entries_.end(), [&](const BlockEntry& e) {
    return e.expires_unix_ms != 0 && e.expires_unix_ms <= now_unix_ms;
  });
  bool removed = it != entries_.end();
  entries_.erase(it, entries_.end());
  return removed;
}

}  // namespace weir::dp
