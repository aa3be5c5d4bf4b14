// frame_flow_key(): takes exactly the plain frames (decode_packet() Ok, not a
// fragment, TCP/UDP, at most one VLAN tag, no IPv4 options or IPv6 extension
// headers) and gives for them the key, hash, direction, flags and payload
// length that decode_packet() + make_flow_key_hashed() give. Table of frames,
// then every one of them with bytes changed and lengths cut.

#include "dataplane/flow/frame_flow_key.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "dataplane/decode/packet_decoder.h"
#include "dataplane/flow/flow_key.h"
#include "tests/unit/dataplane/frame_builder.h"

namespace weir::dp {
namespace {

using test::FrameBuilder;

// Checks the contract on one frame; returns whether the fast path took it.
bool agrees(const std::vector<uint8_t>& f, uint8_t pair, const std::string& what) {
  SCOPED_TRACE(what);
  FlowKey fast_key;
  uint32_t fast_hash = 0;
  bool fast_lo = false;
  FrameFlowFields ff{};
  const bool fast = frame_flow_key(f.data(), static_cast<uint32_t>(f.size()), pair, fast_key, fast_hash,
                                   fast_lo, ff);
  Packet p;
  const DecodeStatus st = decode_packet(f.data(), static_cast<uint32_t>(f.size()), p);
  p.pair = pair;
  const bool plain = st == DecodeStatus::Ok && !p.is_fragment && (p.is_tcp() || p.l4 == L4Kind::Udp) &&
                     p.vlan_count <= 1 && p.l3_header_len == (p.l3 == L3Kind::Ipv4 ? 20 : 40);
  EXPECT_EQ(fast, plain) << "status " << decode_status_name(st);
  if (!fast || !plain) return fast;
  FlowKey key;
  bool lo = false;
  const uint32_t hash = make_flow_key_hashed(p, key, lo);
  EXPECT_TRUE(fast_key == key);
  EXPECT_EQ(fast_hash, hash);
  EXPECT_EQ(fast_hash, flow_hash(fast_key));
  EXPECT_EQ(fast_lo, lo);
  EXPECT_EQ(ff.l3_offset, p.l3_offset);
  EXPECT_EQ(ff.payload_len, p.payload_len);
  EXPECT_EQ(ff.is_tcp, p.is_tcp());
  EXPECT_EQ(ff.tcp_flags, p.is_tcp() ? p.tcp_flags : 0);
  return true;
}

struct Case {
  std::string name;
  std::vector<uint8_t> frame;
  bool plain;
};

std::vector<Case> cases() {
  std::vector<Case> c;
  auto add = [&](const std::string& name, FrameBuilder b, bool plain) { c.push_back({name, b.build(), plain}); };
  add("ipv4 tcp", FrameBuilder().eth().type(0x0800).ipv4("10.0.0.1", "10.0.0.2", 6).tcp(40000, 443, 0x10).payload(10),
      true);
  add("ipv4 tcp reply", FrameBuilder().eth().type(0x0800).ipv4("10.0.0.2", "10.0.0.1", 6).tcp(443, 40000, 0x18),
      true);
  add("ipv4 tcp padded", FrameBuilder().eth().type(0x0800).ipv4("10.0.0.1", "10.0.0.2", 6).tcp(1, 2, 0x02).pad(6),
      true);
  add("ipv4 tcp options", FrameBuilder().eth().type(0x0800).ipv4("1.2.3.4", "5.6.7.8", 6).tcp(5, 6, 0x12, 1, 2, 9, 12),
      true);
  add("ipv4 tcp df", FrameBuilder().eth().type(0x0800).ipv4("1.2.3.4", "5.6.7.8", 6, {}, 0x4000).tcp(5, 6, 0x10),
      true);
  add("ipv4 udp", FrameBuilder().eth().type(0x0800).ipv4("10.0.0.1", "10.0.0.2", 17).udp(5353, 53).payload(30), true);
  add("ipv4 udp padded", FrameBuilder().eth().type(0x0800).ipv4("10.0.0.1", "10.0.0.2", 17).udp(1, 2).pad(18), true);
  add("same address", FrameBuilder().eth().type(0x0800).ipv4("10.0.0.1", "10.0.0.1", 6).tcp(80, 79, 0x10), true);
  add("vlan ipv4", FrameBuilder().eth().vlan(0x8100, 100).type(0x0800).ipv4("10.1.0.1", "10.1.0.2", 6).tcp(1, 2, 0x10),
      true);
  add("vlan 88a8 pcp", FrameBuilder().eth().vlan(0x88a8, 4095, 5).type(0x86dd).ipv6("2001:db8::1", "2001:db8::2", 17)
                           .udp(1, 2),
      true);
  add("vlan 9100", FrameBuilder().eth().vlan(0x9100, 7).type(0x0800).ipv4("1.1.1.1", "2.2.2.2", 17).udp(3, 4), true);
  add("qinq", FrameBuilder().eth().vlan(0x88a8, 10).vlan(0x8100, 20).type(0x0800).ipv4("1.1.1.1", "2.2.2.2", 6)
                  .tcp(1, 2, 0x10),
      false);
  add("ipv6 tcp", FrameBuilder().eth().type(0x86dd).ipv6("2001:db8::1", "2001:db8::2", 6).tcp(40000, 443, 0x10)
                      .payload(5),
      true);
  add("ipv6 udp", FrameBuilder().eth().type(0x86dd).ipv6("2001:db8::9", "2001:db8::2", 17).udp(53, 5353), true);
  add("ipv6 hop-by-hop", FrameBuilder().eth().type(0x86dd).ipv6("2001:db8::1", "2001:db8::2", 0).ext(6).tcp(1, 2, 0x10),
      false);
  add("ipv6 fragment", FrameBuilder().eth().type(0x86dd).ipv6("2001:db8::1", "2001:db8::2", 44).frag6(17, 0, true, 7)
                           .udp(1, 2),
      false);
  add("ipv4 options", FrameBuilder().eth().type(0x0800).ipv4("1.2.3.4", "5.6.7.8", 6, {0x94, 4, 0, 0}).tcp(5, 6, 0x10),
      false);
  add("ipv4 first fragment", FrameBuilder().eth().type(0x0800).ipv4("1.2.3.4", "5.6.7.8", 17, {}, 0x2000).udp(1, 2),
      false);
  add("ipv4 later fragment", FrameBuilder().eth().type(0x0800).ipv4("1.2.3.4", "5.6.7.8", 17, {}, 0x0003).payload(16),
      false);
  add("icmp", FrameBuilder().eth().type(0x0800).ipv4("1.2.3.4", "5.6.7.8", 1).icmp(8, 0).pad(20), false);
  add("icmpv6", FrameBuilder().eth().type(0x86dd).ipv6("2001:db8::1", "2001:db8::2", 58).icmp(128, 0), false);
  add("gre", FrameBuilder().eth().type(0x0800).ipv4("1.2.3.4", "5.6.7.8", 47).payload(30), false);
  add("arp", FrameBuilder().eth().type(0x0806).payload(46), false);
  add("truncated tcp", FrameBuilder().eth().type(0x0800).ipv4("1.2.3.4", "5.6.7.8", 6).payload(12).pad(10), false);
  add("short udp", FrameBuilder().eth().type(0x0800).ipv4("1.2.3.4", "5.6.7.8", 17).payload(6), false);

  auto corrupt = [&](const std::string& name, std::vector<uint8_t> f, int at, uint8_t v, bool fix4) {
    f[static_cast<size_t>(at)] = v;
    if (fix4) FrameBuilder::fix_ipv4_checksum(f, 14);
    c.push_back({name, f, false});
  };
  const auto tcp4 = FrameBuilder().eth().type(0x0800).ipv4("10.0.0.1", "10.0.0.2", 6).tcp(1, 2, 0x10).pad(6).build();
  corrupt("bad checksum", tcp4, 14 + 10, static_cast<uint8_t>(tcp4[24] ^ 1), false);
  corrupt("version 6 in ipv4", tcp4, 14, 0x65, true);
  corrupt("ihl 4", tcp4, 14, 0x44, true);
  corrupt("total past frame", tcp4, 14 + 2, 0x7f, true);
  corrupt("total short", tcp4, 14 + 3, 10, true);
  corrupt("tcp data offset 4", tcp4, 14 + 20 + 12, 0x40, false);
  corrupt("tcp data offset past ip", tcp4, 14 + 20 + 12, 0x60, false);
  const auto udp4 = FrameBuilder().eth().type(0x0800).ipv4("10.0.0.1", "10.0.0.2", 17).udp(1, 2).payload(4).build();
  corrupt("udp length 7", udp4, 14 + 20 + 5, 7, false);
  corrupt("udp length past ip", udp4, 14 + 20 + 5, 40, false);
  const auto tcp6 = FrameBuilder().eth().type(0x86dd).ipv6("2001:db8::1", "2001:db8::2", 6).tcp(1, 2, 0x10).build();
  corrupt("ipv6 version 4", tcp6, 14, 0x40, false);
  corrupt("ipv6 length past frame", tcp6, 14 + 5, 60, false);
  return c;
}

TEST(FrameFlowKey, TakesExactlyThePlainFramesAndAgreesWithDecode) {
  for (const Case& c : cases()) {
    EXPECT_EQ(agrees(c.frame, 3, c.name), c.plain) << c.name;
  }
}

TEST(FrameFlowKey, BothDirectionsGiveOneKey) {
  const auto a = FrameBuilder().eth().type(0x0800).ipv4("10.0.0.1", "10.0.0.2", 6).tcp(40000, 443, 0x10).build();
  const auto b = FrameBuilder().eth().type(0x0800).ipv4("10.0.0.2", "10.0.0.1", 6).tcp(443, 40000, 0x10).build();
  FlowKey ka, kb;
  uint32_t ha = 0, hb = 0;
  bool la = false, lb = false;
  FrameFlowFields fa{}, fb{};
  ASSERT_TRUE(frame_flow_key(a.data(), static_cast<uint32_t>(a.size()), 0, ka, ha, la, fa));
  ASSERT_TRUE(frame_flow_key(b.data(), static_cast<uint32_t>(b.size()), 0, kb, hb, lb, fb));
  EXPECT_TRUE(ka == kb);
  EXPECT_EQ(ha, hb);
  EXPECT_NE(la, lb);
}

// Every case with single bytes changed (each header byte, a few values) and
// with the frame cut short at every length: the fast path may refuse more
// than it must, but whatever it takes must agree with decode.
TEST(FrameFlowKey, MutatedAndCutFramesNeverDisagree) {
  uint32_t taken = 0, total = 0;
  for (const Case& c : cases()) {
    const size_t head = c.frame.size() < 80 ? c.frame.size() : 80;
    for (size_t at = 0; at < head; ++at) {
      for (uint8_t v : {uint8_t{0x00}, uint8_t{0xff}, static_cast<uint8_t>(c.frame[at] ^ 0x01),
                        static_cast<uint8_t>(c.frame[at] ^ 0x40), uint8_t{0x45}, uint8_t{0x06}, uint8_t{0x11}}) {
        std::vector<uint8_t> f = c.frame;
        f[at] = v;
        taken += agrees(f, 1, c.name + " byte " + std::to_string(at)) ? 1 : 0;
        ++total;
      }
    }
    for (size_t len = 0; len < c.frame.size(); ++len) {
      std::vector<uint8_t> f(c.frame.begin(), c.frame.begin() + static_cast<std::ptrdiff_t>(len));
      taken += agrees(f, 1, c.name + " cut " + std::to_string(len)) ? 1 : 0;
      ++total;
    }
  }
  EXPECT_GT(taken, 0u);
  EXPECT_LT(taken, total);
}

}  // namespace
}  // namespace weir::dp
