#pragma once
// ScopeMatcher: decides once, at flow creation, whether a flow is inspected.
// Built from the scope config: `inspect` prefixes (empty: all addresses),
// `ports` (empty: all ports) and `bypass` prefixes. A flow is in scope when
// one endpoint is in an inspect prefix, one port is listed, and neither
// endpoint is in a bypass prefix. Prefixes become sorted, merged, disjoint
// 128-bit ranges (IPv4 mapped into ::ffff:0:0/96), searched by bisection.

#include <cstdint>
#include <span>
#include <vector>

#include "config/cidr.h"
#include "config/weir_config.h"
#include "dataplane/flow/flow_key.h"

namespace weir::dp {

class ScopeMatcher {
 public:
  /// Everything in scope.
  ScopeMatcher();
  explicit ScopeMatcher(const config::ScopeConfig& scope);
  ScopeMatcher(std::span<const config::Cidr> inspect, std::span<const uint16_t> ports,
               std::span<const config::Cidr> bypass);

  bool in_scope(const FlowKey& key) const;

  /// Building blocks, exposed for tests and `weirctl` explanations.
  bool address_inspected(const IpAddress& a) const;
  bool address_bypassed(const IpAddress& a) const;
  bool port_inspected(uint16_t port) const;

 private:
  __extension__ typedef unsigned __int128 U128;
  struct Range {
    U128 first;
    U128 last;
  };
  static std::vector<Range> build(std::span<const config::Cidr> prefixes);
  static bool contains(const std::vector<Range>& ranges, const IpAddress& a);

  std::vector<Range> inspect_;   // empty with all_addresses_: no inspect list
  std::vector<Range> bypass_;
  std::vector<uint64_t> ports_;  // 65536-bit set; empty: every port
  bool all_addresses_ = true;
};

}  // namespace weir::dp
