// ScopeMatcher: inspect prefixes, ports and bypass prefixes, IPv4 and IPv6.

#include "dataplane/flow/scope_matcher.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/dataplane/frame_builder.h"

namespace weir::dp {
namespace {

using test::ip;

std::vector<config::Cidr> cidrs(std::initializer_list<const char*> texts) {
  std::vector<config::Cidr> out;
  for (const char* t : texts) {
    auto c = config::Cidr::parse(t);
    EXPECT_TRUE(c.has_value()) << t;
    if (c) out.push_back(*c);
  }
  return out;
}

FlowKey key(const char* a, uint16_t ap, const char* b, uint16_t bp) {
  Packet p;
  p.src = ip(a);
  p.dst = ip(b);
  p.src_port = ap;
  p.dst_port = bp;
  p.ip_proto = 6;
  bool lo = false;
  return make_flow_key(p, lo);
}

TEST(ScopeMatcher, EmptyConfigInspectsEverything) {
  const ScopeMatcher m;
  EXPECT_TRUE(m.in_scope(key("198.18.0.1", 1, "198.19.0.1", 2)));
  EXPECT_TRUE(m.in_scope(key("2001:2::1", 1, "2001:2::2", 2)));
  const ScopeMatcher from_config{config::ScopeConfig{}};
  EXPECT_TRUE(from_config.in_scope(key("198.18.0.1", 1, "198.19.0.1", 2)));
}

TEST(ScopeMatcher, Ipv4Prefixes) {
  const auto inspect = cidrs({"198.18.1.0/24", "198.18.8.0/21", "198.19.0.7/32"});
  const ScopeMatcher m(inspect, {}, {});
  struct Row {
    const char* addr;
    bool in;
  };
  for (const Row& r : std::vector<Row>{{"198.18.1.0", true},
                                       {"198.18.1.255", true},
                                       {"198.18.2.0", false},
                                       {"198.18.0.255", false},
                                       {"198.18.8.0", true},
                                       {"198.18.15.255", true},
                                       {"198.18.16.0", false},
                                       {"198.19.0.7", true},
                                       {"198.19.0.6", false},
                                       {"198.19.0.8", false},
                                       {"::ffff:198.18.1.9", true},  // same address, mapped
                                       {"::c612:109", false},         // v4-compatible is not v4
                                       {"2001:2::1", false}}) {
    EXPECT_EQ(m.address_inspected(ip(r.addr)), r.in) << r.addr;
  }
  // Either endpoint may be the inspected one.
  EXPECT_TRUE(m.in_scope(key("198.18.1.5", 80, "198.18.200.1", 40000)));
  EXPECT_TRUE(m.in_scope(key("198.18.200.1", 40000, "198.18.1.5", 80)));
  EXPECT_FALSE(m.in_scope(key("198.18.200.1", 40000, "198.18.200.2", 80)));
}

TEST(ScopeMatcher, Ipv6PrefixesIncludingNestedAndWide) {
  const auto inspect = cidrs({"2001:2::/48", "2001:2:0:5::/64", "2001:2:1::/64", "fc00::/7"});
  const ScopeMatcher m(inspect, {}, {});
  EXPECT_TRUE(m.address_inspected(ip("2001:2::1")));
  EXPECT_TRUE(m.address_inspected(ip("2001:2:0:ffff:ffff:ffff:ffff:ffff")));
  EXPECT_FALSE(m.address_inspected(ip("2001:2:2::1")));
  EXPECT_TRUE(m.address_inspected(ip("2001:2:1::abcd")));
  EXPECT_FALSE(m.address_inspected(ip("2001:2:1:1::")));
  EXPECT_TRUE(m.address_inspected(ip("fd12::1")));
  EXPECT_FALSE(m.address_inspected(ip("fe80::1")));
  EXPECT_FALSE(m.address_inspected(ip("198.18.0.1")));

  const ScopeMatcher all(cidrs({"::/0"}), {}, {});
  EXPECT_TRUE(all.address_inspected(ip("198.18.0.1")));
  EXPECT_TRUE(all.address_inspected(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")));
}

TEST(ScopeMatcher, PortsNeedOneEndpoint) {
  const std::vector<uint16_t> ports = {80, 443, 65535, 0};
  const ScopeMatcher m({}, ports, {});
  EXPECT_TRUE(m.in_scope(key("198.18.0.1", 40000, "198.19.0.1", 443)));
  EXPECT_TRUE(m.in_scope(key("198.19.0.1", 80, "198.18.0.1", 40000)));
  EXPECT_FALSE(m.in_scope(key("198.18.0.1", 40000, "198.19.0.1", 8443)));
  EXPECT_TRUE(m.port_inspected(65535));
  EXPECT_TRUE(m.port_inspected(0));
  EXPECT_FALSE(m.port_inspected(81));
  EXPECT_FALSE(m.port_inspected(1));
}

TEST(ScopeMatcher, BypassWinsOverInspect) {
  config::ScopeConfig cfg;
  cfg.inspect = cidrs({"198.18.0.0/15", "2001:2::/48"});
  cfg.ports = {443};
  cfg.bypass = cidrs({"198.18.5.0/24", "2001:2:0:9::/64"});
  const ScopeMatcher m(cfg);
  EXPECT_TRUE(m.in_scope(key("198.18.1.1", 40000, "198.19.0.1", 443)));
  EXPECT_FALSE(m.in_scope(key("198.18.5.1", 40000, "198.19.0.1", 443)));  // client bypassed
  EXPECT_FALSE(m.in_scope(key("198.18.1.1", 40000, "198.18.5.200", 443)));  // server bypassed
  EXPECT_TRUE(m.in_scope(key("2001:2::1", 40000, "2001:2:0:8::1", 443)));
  EXPECT_FALSE(m.in_scope(key("2001:2::1", 40000, "2001:2:0:9::1", 443)));
  EXPECT_FALSE(m.in_scope(key("198.18.1.1", 40000, "198.19.0.1", 80)));  // port not listed
  EXPECT_TRUE(m.address_bypassed(ip("198.18.5.0")));
  EXPECT_FALSE(m.address_bypassed(ip("198.18.6.0")));
}

TEST(ScopeMatcher, OverlappingAndAdjacentPrefixesMerge) {
  // Unsorted, overlapping and adjacent: 198.18.0.0/24 + 198.18.1.0/24 touch.
  const ScopeMatcher m(cidrs({"198.18.1.0/24", "198.18.0.128/25", "198.18.0.0/24",
                              "198.18.3.0/24"}),
                       {}, {});
  EXPECT_TRUE(m.address_inspected(ip("198.18.0.0")));
  EXPECT_TRUE(m.address_inspected(ip("198.18.0.200")));
  EXPECT_TRUE(m.address_inspected(ip("198.18.1.255")));
  EXPECT_FALSE(m.address_inspected(ip("198.18.2.0")));
  EXPECT_TRUE(m.address_inspected(ip("198.18.3.4")));
}

}  // namespace
}  // namespace weir::dp
