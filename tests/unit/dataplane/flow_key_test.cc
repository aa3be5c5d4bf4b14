// make_flow_key() / flow_hash(): both directions give one key and one hash;
// VLANs, pairs and protocols stay apart; hash bits are evenly spread.

#include "dataplane/flow/flow_key.h"

#include <gtest/gtest.h>

#include <random>

#include <vector>

#include "tests/unit/dataplane/frame_builder.h"

namespace weir::dp {
namespace {

using test::ip;

Packet packet(const char* src, uint16_t sport, const char* dst, uint16_t dport, uint8_t proto = 6) {
  Packet p;
  p.l3 = std::string(src).find(':') == std::string::npos ? L3Kind::Ipv4 : L3Kind::Ipv6;
  p.src = ip(src);
  p.dst = ip(dst);
  p.src_port = sport;
  p.dst_port = dport;
  p.ip_proto = proto;
  return p;
}

Packet reversed(const Packet& p) {
  Packet r = p;
  std::swap(r.src, r.dst);
  std::swap(r.src_port, r.dst_port);
  return r;
}

TEST(FlowKey, BothDirectionsGiveOneKeyAndHash) {
  const std::vector<Packet> cases = {
      packet("198.18.0.1", 40000, "198.19.0.2", 443),
      packet("198.19.0.2", 443, "198.18.0.1", 40000),
      packet("2001:2::1", 5000, "2001:2::2", 80),
      packet("2001:2::2", 80, "2001:2::1", 5000),
      packet("198.18.0.1", 80, "198.18.0.1", 40000),  // same address: ports decide
      packet("198.18.0.1", 7, "198.18.0.1", 7),       // identical endpoints
  };
  for (const Packet& p : cases) {
    bool fwd_lo = false, rev_lo = false;
    const FlowKey a = make_flow_key(p, fwd_lo);
    const FlowKey b = make_flow_key(reversed(p), rev_lo);
    EXPECT_EQ(a, b);
    EXPECT_EQ(flow_hash(a), flow_hash(b));
    if (p.src != p.dst || p.src_port != p.dst_port) {
      EXPECT_NE(fwd_lo, rev_lo);
    }
  }
}

TEST(FlowKey, LowerEndpointFirst) {
  bool src_is_lo = false;
  const FlowKey k = make_flow_key(packet("198.19.0.2", 443, "198.18.0.1", 40000), src_is_lo);
  EXPECT_FALSE(src_is_lo);
  EXPECT_EQ(k.lo_addr, ip("198.18.0.1"));
  EXPECT_EQ(k.lo_port, 40000);
  EXPECT_EQ(k.hi_addr, ip("198.19.0.2"));
  EXPECT_EQ(k.hi_port, 443);
  EXPECT_EQ(k.proto, 6);

  const FlowKey same_addr = make_flow_key(packet("198.18.0.1", 80, "198.18.0.1", 40000), src_is_lo);
  EXPECT_TRUE(src_is_lo);
  EXPECT_EQ(same_addr.lo_port, 80);
}

TEST(FlowKey, VlanPairAndProtocolSeparateFlows) {
  const Packet base = packet("198.18.0.1", 1000, "198.19.0.2", 80);
  bool lo = false;
  const FlowKey k0 = make_flow_key(base, lo);
  Packet v = base;
  v.vlan_outer = 10;
  Packet qinq = v;
  qinq.vlan_inner = 20;
  Packet pair = base;
  pair.pair = 1;
  Packet udp = base;
  udp.ip_proto = 17;
  for (const Packet& other : {v, qinq, pair, udp}) {
    const FlowKey k = make_flow_key(other, lo);
    EXPECT_FALSE(k == k0);
    EXPECT_NE(flow_hash(k), flow_hash(k0));
  }
  const FlowKey kq = make_flow_key(qinq, lo);
  EXPECT_EQ(kq.vlan, 10);
  EXPECT_EQ(kq.vlan_inner, 20);
  EXPECT_EQ(make_flow_key(pair, lo).pair, 1);
}

TEST(FlowKey, Ipv4MappedDiffersFromPlainIpv6) {
  bool lo = false;
  const FlowKey v4 = make_flow_key(packet("198.18.0.1", 1, "198.18.0.2", 2), lo);
  const FlowKey v6 = make_flow_key(packet("::c612:1", 1, "::c612:2", 2), lo);
  EXPECT_FALSE(v4 == v6);
  EXPECT_EQ(v4.lo_addr[10], 0xff);
  EXPECT_EQ(v4.lo_addr[11], 0xff);
}

// Sequential client ports and addresses (the usual load-test patterns) must
// still spread evenly over workers (hash % n) and over any bit range,
// including the top bits FlowTable's buckets use. Addresses and ports that
// change together catch a hash whose parts cancel (CRC alone is linear).
TEST(FlowKey, HashSpreadsSequentialKeys) {
  constexpr int kFlows = 1 << 16;
  struct Pattern {
    const char* name;
    Packet (*make)(int i);
  };
  const Pattern patterns[] = {
      {"v4 ports, 16 clients",
       [](int i) {
         Packet p = packet("198.18.0.1", static_cast<uint16_t>(i), "198.19.0.2", 443);
         p.src[15] = static_cast<uint8_t>(i >> 12);
         return p;
       }},
      {"v4 clients, one port",
       [](int i) {
         Packet p = packet("198.18.0.0", 40000, "198.19.0.2", 443);
         p.src[14] = static_cast<uint8_t>(i >> 8);
         p.src[15] = static_cast<uint8_t>(i);
         return p;
       }},
      {"v4 client and port together",
       [](int i) {
         Packet p = packet("198.18.0.0", static_cast<uint16_t>(1024 + i), "198.19.0.2", 443);
         p.src[14] = static_cast<uint8_t>(i >> 8);
         p.src[15] = static_cast<uint8_t>(i);
         return p;
       }},
      {"v6 clients and servers",
       [](int i) {
         Packet p = packet("2001:2::", 40000, "2001:2:0:1::", 80);
         p.src[15] = static_cast<uint8_t>(i);
         p.dst[15] = static_cast<uint8_t>(i >> 8);
         return p;
       }},
  };
  for (const Pattern& pattern : patterns) {
    std::vector<uint32_t> hashes;
    hashes.reserve(kFlows);
    for (int i = 0; i < kFlows; ++i) {
      bool lo = false;
      hashes.push_back(flow_hash(make_flow_key(pattern.make(i), lo)));
    }
    auto check = [&](const char* what, uint32_t n, auto bucket) {
      std::vector<int> counts(n, 0);
      for (uint32_t h : hashes) ++counts[bucket(h)];
      const double mean = static_cast<double>(kFlows) / n;
      for (uint32_t b = 0; b < n; ++b) {
        ASSERT_NEAR(counts[b], mean, mean * 0.25) << pattern.name << ": " << what << " bucket " << b;
      }
    };
    check("mod 3", 3, [](uint32_t h) { return h % 3; });
    check("mod 4", 4, [](uint32_t h) { return h % 4; });
    check("mod 6", 6, [](uint32_t h) { return h % 6; });
    check("low 8 bits", 256, [](uint32_t h) { return h & 0xff; });
    check("high 8 bits", 256, [](uint32_t h) { return h >> 24; });
    check("middle 8 bits", 256, [](uint32_t h) { return (h >> 12) & 0xff; });
    check("bucket of 2^8", 256, [](uint32_t h) { return (h * 0x9e3779b1u) >> 24; });
  }
}

// The worker's one-pass key + hash gives the key make_flow_key() gives and
// flow_hash() of it (the table recomputes flow_hash(key) on removal).
TEST(FlowKey, OnePassKeyAndHashMatchTheSeparateOnes) {
  std::vector<Packet> cases = {
      packet("198.18.0.1", 40000, "198.19.0.2", 443),
      packet("198.19.0.2", 443, "198.18.0.1", 40000),
      packet("2001:2::1", 5000, "2001:2::2", 80, 17),
      packet("2001:2::2", 80, "2001:2::1", 5000, 17),
      packet("198.18.0.1", 80, "198.18.0.1", 40000),
      packet("198.18.0.1", 7, "198.18.0.1", 7, 1),
      packet("2001:2::1:0:0:1", 1, "2001:2::1:0:0:2", 1),  // differ in the low word only
  };
  cases[1].vlan_outer = 100;
  cases[2].vlan_outer = 4094;
  cases[2].vlan_inner = 7;
  cases[3].pair = 3;
  for (const Packet& p : cases) {
    bool lo_a = false, lo_b = true;
    FlowKey a;
    const uint32_t h = make_flow_key_hashed(p, a, lo_a);
    const FlowKey b = make_flow_key(p, lo_b);
    EXPECT_EQ(a, b);
    EXPECT_EQ(lo_a, lo_b);
    EXPECT_EQ(h, flow_hash(b));
    EXPECT_EQ(a.vlan, p.vlan_outer);
    EXPECT_EQ(a.vlan_inner, p.vlan_inner);
    EXPECT_EQ(a.pair, p.pair);
    EXPECT_EQ(a.proto, p.ip_proto);
    for (uint8_t r : a.reserved) EXPECT_EQ(r, 0);
  }
  // Keys differing in any one byte compare unequal (the vector compare).
  bool lo = false;
  const FlowKey base = make_flow_key(cases[0], lo);
  for (size_t i = 0; i < sizeof(FlowKey); ++i) {
    FlowKey k = base;
    reinterpret_cast<uint8_t*>(&k)[i] ^= 1;
    EXPECT_FALSE(k == base) << "byte " << i;
  }
}

// The IPv4 shortcut (two of six crc32 steps folded into a compile-time
// constant) and the IPv4 key builder give what the general ones give.
TEST(FlowKey, Ipv4ShortcutsMatchTheGeneralHashAndKey) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20000; ++i) {
    const uint64_t w1 = rng(), w3 = rng(), w4 = rng(), w5 = rng();
    ASSERT_EQ(flow_key_detail::ipv4_hash_words(w1, w3, w4, w5), flow_key_detail::hash_words(0, w1, 0, w3, w4, w5))
        << i;
    // Addresses often equal or close, ports often equal: the tie-breaks.
    const uint32_t sa = static_cast<uint32_t>(rng());
    const uint32_t da = (i % 3 == 0) ? sa : (i % 3 == 1 ? sa ^ (1u << (rng() % 32)) : static_cast<uint32_t>(rng()));
    const uint64_t sp = rng() & 0xffff, dp = (i % 5 == 0) ? sp : rng() & 0xffff;
    const uint64_t tags = (rng() & 0x0fff0fff) << 32, w5k = rng() & 0xffff;
    constexpr uint64_t kMark = uint64_t{0xffff} << 16;
    FlowKey a, b;
    bool lo_a = false, lo_b = true;
    const uint32_t ha = flow_key_detail::key_from_ipv4(sa, da, sp, dp, tags, w5k, a, lo_a);
    const uint32_t hb = flow_key_detail::key_from_words(0, kMark | uint64_t{sa} << 32, 0, kMark | uint64_t{da} << 32,
                                                        sp, dp, tags, w5k, b, lo_b);
    ASSERT_TRUE(a == b) << i;
    ASSERT_EQ(lo_a, lo_b) << i;
    ASSERT_EQ(ha, hb) << i;
  }
}

}  // namespace
}  // namespace weir::dp
