// ScopeMatcher: ranges are built at config load (allocation is fine there);
// in_scope() runs once per new flow and only reads.

#include "dataplane/flow/scope_matcher.h"

#include <algorithm>

namespace weir::dp {
namespace {

__extension__ typedef unsigned __int128 U128;

U128 to_u128(const uint8_t* a) {
  U128 v = 0;
  for (int i = 0; i < 16; ++i) v = (v << 8) | a[i];
  return v;
}

}  // namespace

ScopeMatcher::ScopeMatcher() = default;

ScopeMatcher::ScopeMatcher(const config::ScopeConfig& scope)
    : ScopeMatcher(scope.inspect, scope.ports, scope.bypass) {}

ScopeMatcher::ScopeMatcher(std::span<const config::Cidr> inspect,
                           std::span<const uint16_t> ports,
                           std::span<const config::Cidr> bypass)
    : inspect_(build(inspect)), bypass_(build(bypass)), all_addresses_(inspect.empty()) {
  if (!ports.empty()) {
    ports_.assign(65536 / 64, 0);
    for (uint16_t p : ports) ports_[p >> 6] |= uint64_t{1} << (p & 63);
  }
}

std::vector<ScopeMatcher::Range> ScopeMatcher::build(std::span<const config::Cidr> prefixes) {
  std::vector<Range> r;
  r.reserve(prefixes.size());
  for (const config::Cidr& c : prefixes) {
    const unsigned len = std::min<unsigned>(c.prefix_len, 128);
    // Host bits are cleared here too, whatever the parser accepted.
    const U128 host = len == 0 ? ~U128{0} : len == 128 ? U128{0} : (~U128{0} >> len);
    const U128 first = to_u128(c.addr.data()) & ~host;
    r.push_back({first, first | host});
  }
  std::sort(r.begin(), r.end(), [](const Range& a, const Range& b) { return a.first < b.first; });
  std::vector<Range> merged;
  for (const Range& x : r) {
    // Prefixes either nest or are disjoint; adjacent ones merge as well.
    if (!merged.empty() && (x.first <= merged.back().last ||
                            (merged.back().last != ~U128{0} && x.first == merged.back().last + 1))) {
      merged.back().last = std::max(merged.back().last, x.last);
    } else {
      merged.push_back(x);
    }
  }
  return merged;
}

bool ScopeMatcher::contains(const std::vector<Range>& ranges, const IpAddress& a) {
  const U128 v = to_u128(a.data());
  // First range starting after v; the one before it is the only candidate.
  auto it = std::upper_bound(ranges.begin(), ranges.end(), v,
                             [](U128 x, const Range& r) { return x < r.first; });
  if (it == ranges.begin()) return false;
  return v <= std::prev(it)->last;
}

bool ScopeMatcher::address_inspected(const IpAddress& a) const {
  return all_addresses_ || contains(inspect_, a);
}

bool ScopeMatcher::address_bypassed(const IpAddress& a) const { return contains(bypass_, a); }

bool ScopeMatcher::port_inspected(uint16_t port) const {
  return ports_.empty() || ((ports_[port >> 6] >> (port & 63)) & 1) != 0;
}

bool ScopeMatcher::in_scope(const FlowKey& k) const {
  if (!address_inspected(k.lo_addr) && !address_inspected(k.hi_addr)) return false;
  if (!port_inspected(k.lo_port) && !port_inspected(k.hi_port)) return false;
  return !address_bypassed(k.lo_addr) && !address_bypassed(k.hi_addr);
}

}  // namespace weir::dp
