// decode_packet(): every decode path on crafted frames, then one table row per
// malformed reason.

#include "dataplane/decode/packet_decoder.h"
#include "dataplane/decode/packet_decoder_inline.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "tests/unit/dataplane/frame_builder.h"

namespace weir::dp {
namespace {

using test::FrameBuilder;
using test::ip;

constexpr uint16_t kIpv4 = 0x0800, kIpv6 = 0x86dd, kVlan = 0x8100, kQinq = 0x88a8;
constexpr uint8_t kTcp = 6, kUdp = 17, kIcmp = 1, kIcmpv6 = 58;

DecodeStatus decode(const std::vector<uint8_t>& f, Packet& p) {
  return decode_packet(f.data(), static_cast<uint32_t>(f.size()), p);
}

TEST(PacketDecoder, Ipv4TcpWithOptionsAndPadding) {
  const auto f = FrameBuilder()
                     .eth().type(kIpv4)
                     .ipv4("198.18.0.1", "198.19.0.2", kTcp, {}, 0x4000, 7, 61)
                     .tcp(40000, 443, tcp_flag::kAck | tcp_flag::kPsh, 111, 222, 1024, 12)
                     .payload(5).pad(1).build();
  Packet p;
  ASSERT_EQ(decode(f, p), DecodeStatus::Ok);
  EXPECT_EQ(p.frame, f.data());
  EXPECT_EQ(p.frame_len, f.size());
  EXPECT_EQ(p.ether_type, kIpv4);
  EXPECT_EQ(p.vlan_count, 0);
  EXPECT_EQ(p.l3_offset, 14);
  EXPECT_EQ(p.l3, L3Kind::Ipv4);
  EXPECT_EQ(p.l3_len, 20 + 32 + 5);
  EXPECT_EQ(p.l3_header_len, 20);
  EXPECT_EQ(p.ttl, 61);
  EXPECT_EQ(p.ip_proto, kTcp);
  EXPECT_EQ(p.src, ip("198.18.0.1"));
  EXPECT_EQ(p.dst, ip("198.19.0.2"));
  EXPECT_FALSE(p.is_fragment);  // DF alone is not a fragment
  EXPECT_EQ(p.l4, L4Kind::Tcp);
  EXPECT_EQ(p.l4_offset, 34);
  EXPECT_EQ(p.src_port, 40000);
  EXPECT_EQ(p.dst_port, 443);
  EXPECT_EQ(p.tcp_seq, 111u);
  EXPECT_EQ(p.tcp_ack, 222u);
  EXPECT_EQ(p.tcp_window, 1024);
  EXPECT_EQ(p.tcp_flags, tcp_flag::kAck | tcp_flag::kPsh);
  EXPECT_EQ(p.tcp_header_len, 32);
  EXPECT_EQ(p.payload_offset, 34 + 32);
  EXPECT_EQ(p.payload_len, 5);  // the padding byte is not payload
  EXPECT_EQ(p.payload()[0], 'a');
  EXPECT_TRUE(p.is_ip());
  EXPECT_TRUE(p.is_tcp());
}

TEST(PacketDecoder, Ipv4HeaderOptions) {
  const auto f = FrameBuilder()
                     .eth().type(kIpv4)
                     .ipv4("198.18.0.1", "198.19.0.2", kTcp, {0x94, 0x04, 0, 0, 1, 1, 1, 0})
                     .tcp(1, 2, tcp_flag::kSyn).build();
  Packet p;
  ASSERT_EQ(decode(f, p), DecodeStatus::Ok);
  EXPECT_EQ(p.l3_header_len, 28);
  EXPECT_EQ(p.l4_offset, 14 + 28);
  EXPECT_EQ(p.dst_port, 2);
  EXPECT_EQ(p.payload_len, 0);
}

TEST(PacketDecoder, MinimumFramePaddingIsNotPayload) {
  // 14 + 20 + 20 = 54 bytes, padded to the 60-byte Ethernet minimum.
  const auto f = FrameBuilder()
                     .eth().type(kIpv4).ipv4("198.18.0.1", "198.19.0.2", kTcp)
                     .tcp(1, 2, tcp_flag::kAck).pad(6).build();
  Packet p;
  ASSERT_EQ(decode(f, p), DecodeStatus::Ok);
  EXPECT_EQ(p.l3_len, 40);
  EXPECT_EQ(p.payload_len, 0);
}

struct VlanCase {
  const char* name;
  std::vector<std::pair<uint16_t, uint16_t>> tags;  // tpid, vid
};

TEST(PacketDecoder, VlanTagStacks) {
  const std::vector<VlanCase> cases = {
      {"dot1q", {{kVlan, 100}}},
      {"qinq_88a8", {{kQinq, 10}, {kVlan, 20}}},
      {"qinq_9100", {{0x9100, 4095}, {kVlan, 1}}},
      {"qinq_8100_8100", {{kVlan, 7}, {kVlan, 8}}},
  };
  for (const VlanCase& c : cases) {
    SCOPED_TRACE(c.name);
    FrameBuilder b;
    b.eth();
    for (auto [tpid, vid] : c.tags) b.vlan(tpid, vid, 5);  // PCP bits are not part of the VID
    const auto f = b.type(kIpv4).ipv4("198.18.0.1", "198.19.0.2", kUdp).udp(53, 53).payload(4).build();
    Packet p;
    ASSERT_EQ(decode(f, p), DecodeStatus::Ok);
    EXPECT_EQ(p.vlan_count, c.tags.size());
    EXPECT_EQ(p.vlan_outer, c.tags[0].second);
    EXPECT_EQ(p.vlan_inner, c.tags.size() == 2 ? c.tags[1].second : 0);
    EXPECT_EQ(p.l3_offset, 14 + 4 * c.tags.size());
    EXPECT_EQ(p.ether_type, kIpv4);
    EXPECT_EQ(p.l4, L4Kind::Udp);
    EXPECT_EQ(p.payload_len, 4);
  }
}

TEST(PacketDecoder, Ipv6Tcp) {
  const auto f = FrameBuilder()
                     .eth().type(kIpv6).ipv6("2001:2::1", "2001:2::2", kTcp, 33)
                     .tcp(50000, 80, tcp_flag::kSyn, 77).build();
  Packet p;
  ASSERT_EQ(decode(f, p), DecodeStatus::Ok);
  EXPECT_EQ(p.l3, L3Kind::Ipv6);
  EXPECT_EQ(p.l3_len, 60);
  EXPECT_EQ(p.l3_header_len, 40);
  EXPECT_EQ(p.ttl, 33);
  EXPECT_EQ(p.src, ip("2001:2::1"));
  EXPECT_EQ(p.dst, ip("2001:2::2"));
  EXPECT_EQ(p.l4_offset, 54);
  EXPECT_EQ(p.tcp_seq, 77u);
  EXPECT_EQ(p.tcp_flags, tcp_flag::kSyn);
}

TEST(PacketDecoder, Ipv6ExtensionHeaderChain) {
  // hop-by-hop (16) -> destination options (8) -> routing (8) -> AH (16) -> TCP
  const auto f = FrameBuilder()
                     .eth().type(kIpv6).ipv6("2001:2::1", "2001:2::2", 0)
                     .ext(60, 16).ext(43).ext(51).ah(kTcp, 16)
                     .tcp(1, 2, tcp_flag::kAck).payload(3).pad(2).build();
  Packet p;
  ASSERT_EQ(decode(f, p), DecodeStatus::Ok);
  EXPECT_EQ(p.ip_proto, kTcp);
  EXPECT_EQ(p.l3_header_len, 40 + 16 + 8 + 8 + 16);
  EXPECT_EQ(p.l4_offset, 14 + 88);
  EXPECT_EQ(p.l3_len, 88 + 20 + 3);
  EXPECT_EQ(p.payload_len, 3);
  EXPECT_FALSE(p.is_fragment);
}

TEST(PacketDecoder, Ipv6FirstFragmentKeepsL4) {
  auto f = FrameBuilder()
               .eth().type(kIpv6).ipv6("2001:2::1", "2001:2::2", 44)
               .frag6(kUdp, 0, true, 0xdeadbeef).udp(5000, 53).payload(16).build();
  FrameBuilder::put16(f, 14 + 48 + 4, 3000);  // UDP length of the whole datagram
  Packet p;
  ASSERT_EQ(decode(f, p), DecodeStatus::Ok);
  EXPECT_TRUE(p.is_fragment);
  EXPECT_TRUE(p.more_fragments);
  EXPECT_EQ(p.frag_offset, 0);
  EXPECT_EQ(p.frag_id, 0xdeadbeefu);
  EXPECT_EQ(p.frag_header_offset, 14 + 40);
  EXPECT_EQ(p.l4, L4Kind::Udp);
  EXPECT_EQ(p.dst_port, 53);
  EXPECT_EQ(p.payload_len, 16);  // what this fragment holds
}

TEST(PacketDecoder, Ipv6NonFirstFragmentHasNoL4) {
  const auto f = FrameBuilder()
                     .eth().type(kIpv6).ipv6("2001:2::1", "2001:2::2", 60).ext(44)
                     .frag6(kTcp, 1448, false, 9).payload(100).build();
  Packet p;
  ASSERT_EQ(decode(f, p), DecodeStatus::Ok);
  EXPECT_TRUE(p.is_fragment);
  EXPECT_FALSE(p.more_fragments);
  EXPECT_EQ(p.frag_offset, 1448);
  EXPECT_EQ(p.frag_id, 9u);
  EXPECT_EQ(p.frag_header_offset, 14 + 48);
  EXPECT_EQ(p.ip_proto, kTcp);
  EXPECT_EQ(p.l3_header_len, 56);
  EXPECT_EQ(p.l4, L4Kind::None);
  EXPECT_EQ(p.l4_offset, 0);
  EXPECT_EQ(p.src_port, 0);
  EXPECT_EQ(p.payload_len, 0);
}

TEST(PacketDecoder, Ipv6AtomicFragmentIsAWholePacket) {
  const auto f = FrameBuilder()
                     .eth().type(kIpv6).ipv6("2001:2::1", "2001:2::2", 44)
                     .frag6(kTcp, 0, false, 5).tcp(1, 2, tcp_flag::kSyn).build();
  Packet p;
  ASSERT_EQ(decode(f, p), DecodeStatus::Ok);
  EXPECT_FALSE(p.is_fragment);
  EXPECT_EQ(p.frag_header_offset, 54);
  EXPECT_EQ(p.l4, L4Kind::Tcp);
}

TEST(PacketDecoder, Ipv4Fragments) {
  Packet p;
  const auto first = FrameBuilder()
                         .eth().type(kIpv4).ipv4("198.18.0.1", "198.19.0.2", kUdp, {}, 0x2000, 77)
                         .udp(1, 2).payload(32).build();
  auto first_long = first;
  FrameBuilder::put16(first_long, 34 + 4, 4000);  // UDP length spans later fragments
  ASSERT_EQ(decode(first_long, p), DecodeStatus::Ok);
  EXPECT_TRUE(p.is_fragment);
  EXPECT_TRUE(p.more_fragments);
  EXPECT_EQ(p.frag_offset, 0);
  EXPECT_EQ(p.frag_id, 77u);
  EXPECT_EQ(p.l4, L4Kind::Udp);
  EXPECT_EQ(p.payload_len, 32);

  const auto later = FrameBuilder()
                         .eth().type(kIpv4).ipv4("198.18.0.1", "198.19.0.2", kUdp, {}, 185, 77)
                         .payload(40).build();
  ASSERT_EQ(decode(later, p), DecodeStatus::Ok);
  EXPECT_TRUE(p.is_fragment);
  EXPECT_FALSE(p.more_fragments);
  EXPECT_EQ(p.frag_offset, 1480);
  EXPECT_EQ(p.l4, L4Kind::None);
  EXPECT_EQ(p.l4_offset, 0);
  EXPECT_EQ(p.payload_len, 0);
  EXPECT_EQ(p.l3_header_len, 20);
  EXPECT_EQ(p.l3_len, 60);
}

TEST(PacketDecoder, UdpPayloadStopsAtUdpLength) {
  auto f = FrameBuilder()
               .eth().type(kIpv4).ipv4("198.18.0.1", "198.19.0.2", kUdp)
               .udp(1000, 2000).payload(20).build();
  FrameBuilder::put16(f, 34 + 4, 8 + 12);
  Packet p;
  ASSERT_EQ(decode(f, p), DecodeStatus::Ok);
  EXPECT_EQ(p.src_port, 1000);
  EXPECT_EQ(p.dst_port, 2000);
  EXPECT_EQ(p.payload_offset, 42);
  EXPECT_EQ(p.payload_len, 12);
}

TEST(PacketDecoder, IcmpAndIcmpv6) {
  Packet p;
  const auto v4 = FrameBuilder()
                      .eth().type(kIpv4).ipv4("198.18.0.1", "198.19.0.2", kIcmp)
                      .icmp(8, 0).payload(56).build();
  ASSERT_EQ(decode(v4, p), DecodeStatus::Ok);
  EXPECT_EQ(p.l4, L4Kind::Icmp);
  EXPECT_EQ(p.icmp_type, 8);
  EXPECT_EQ(p.src_port, 0);
  EXPECT_EQ(p.payload_len, 56);

  const auto v6 = FrameBuilder()
                      .eth().type(kIpv6).ipv6("2001:2::1", "2001:2::2", kIcmpv6)
                      .icmp(128, 0).payload(8).build();
  ASSERT_EQ(decode(v6, p), DecodeStatus::Ok);
  EXPECT_EQ(p.l4, L4Kind::Icmpv6);
  EXPECT_EQ(p.icmp_type, 128);
  EXPECT_EQ(p.payload_len, 8);

  // ICMPv6 carried in IPv4 is just another protocol.
  const auto odd = FrameBuilder()
                       .eth().type(kIpv4).ipv4("198.18.0.1", "198.19.0.2", kIcmpv6)
                       .payload(3).build();
  ASSERT_EQ(decode(odd, p), DecodeStatus::Ok);
  EXPECT_EQ(p.l4, L4Kind::Other);
}

TEST(PacketDecoder, OtherProtocolsAndNoNextHeader) {
  Packet p;
  const auto gre = FrameBuilder()
                       .eth().type(kIpv4).ipv4("198.18.0.1", "198.19.0.2", 47).payload(24).build();
  ASSERT_EQ(decode(gre, p), DecodeStatus::Ok);
  EXPECT_EQ(p.l4, L4Kind::Other);
  EXPECT_EQ(p.ip_proto, 47);
  EXPECT_EQ(p.l4_offset, 34);
  EXPECT_EQ(p.payload_offset, 34);
  EXPECT_EQ(p.payload_len, 24);

  const auto none = FrameBuilder()
                        .eth().type(kIpv6).ipv6("2001:2::1", "2001:2::2", 60).ext(59).build();
  ASSERT_EQ(decode(none, p), DecodeStatus::Ok);
  EXPECT_EQ(p.ip_proto, 59);
  EXPECT_EQ(p.l4, L4Kind::None);
  EXPECT_EQ(p.payload_len, 0);
}

TEST(PacketDecoder, NonIpFrames) {
  struct Case {
    const char* name;
    std::vector<uint8_t> frame;
    uint16_t ether_type;
  };
  const std::vector<Case> cases = {
      {"arp", FrameBuilder().eth().type(0x0806).payload(28).build(), 0x0806},
      {"lldp", FrameBuilder().eth().type(0x88cc).payload(46).build(), 0x88cc},
      {"lacp", FrameBuilder().eth().type(0x8809).payload(110).build(), 0x8809},
      {"stp_802_3", FrameBuilder().eth().type(0x0026).payload(38).build(), 0x0026},
      {"arp_in_vlan", FrameBuilder().eth().vlan(kVlan, 42).type(0x0806).payload(28).build(), 0x0806},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Packet p;
    EXPECT_EQ(decode(c.frame, p), DecodeStatus::NotIp);
    EXPECT_EQ(p.ether_type, c.ether_type);
    EXPECT_FALSE(p.is_ip());
    EXPECT_FALSE(is_malformed(DecodeStatus::NotIp));
  }
}

TEST(PacketDecoder, ResetsPreviousContents) {
  Packet p;
  const auto tcp = FrameBuilder()
                       .eth().vlan(kVlan, 9).type(kIpv4).ipv4("198.18.0.1", "198.19.0.2", kTcp)
                       .tcp(1, 2, tcp_flag::kSyn).build();
  ASSERT_EQ(decode(tcp, p), DecodeStatus::Ok);
  const auto arp = FrameBuilder().eth().type(0x0806).payload(28).build();
  ASSERT_EQ(decode(arp, p), DecodeStatus::NotIp);
  EXPECT_EQ(p.vlan_count, 0);
  EXPECT_EQ(p.l4, L4Kind::None);
  EXPECT_EQ(p.src_port, 0);
  EXPECT_EQ(p.src, IpAddress{});
}

// --- malformed frames: one row per reason (several for some)

std::vector<uint8_t> v4_tcp() {
  return FrameBuilder().eth().type(kIpv4).ipv4("198.18.0.1", "198.19.0.2", kTcp)
      .tcp(1, 2, tcp_flag::kAck).payload(8).build();
}
std::vector<uint8_t> v6_tcp() {
  return FrameBuilder().eth().type(kIpv6).ipv6("2001:2::1", "2001:2::2", kTcp)
      .tcp(1, 2, tcp_flag::kAck).payload(8).build();
}
template <typename Fn>
std::vector<uint8_t> edit(std::vector<uint8_t> f, Fn fn) {
  fn(f);
  return f;
}
void set_v4(std::vector<uint8_t>& f, int at, uint8_t v) {
  f[14 + at] = v;
  FrameBuilder::fix_ipv4_checksum(f, 14);
}

struct MalformedCase {
  const char* name;
  std::vector<uint8_t> frame;
  DecodeStatus expected;
};

TEST(PacketDecoder, MalformedFrames) {
  using S = DecodeStatus;
  std::vector<uint8_t> nine_ext_chain;
  {
    FrameBuilder b;
    b.eth().type(kIpv6).ipv6("2001:2::1", "2001:2::2", 60);
    for (int i = 0; i < 8; ++i) b.ext(60);
    nine_ext_chain = b.ext(kTcp).tcp(1, 2, 0).build();
  }
  std::vector<uint8_t> eight_ext_ok;
  {
    FrameBuilder b;
    b.eth().type(kIpv6).ipv6("2001:2::1", "2001:2::2", 60);
    for (int i = 0; i < 7; ++i) b.ext(60);
    eight_ext_ok = b.ext(kTcp).tcp(1, 2, 0).build();
  }
  const std::vector<MalformedCase> cases = {
      {"empty", {}, S::TruncatedEthernet},
      {"13_bytes", std::vector<uint8_t>(13, 0), S::TruncatedEthernet},
      {"vlan_tag_cut", FrameBuilder().eth().type(kVlan).payload(2).build(), S::TruncatedVlan},
      {"vlan_no_inner_type", FrameBuilder().eth().type(kQinq).payload(3).build(), S::TruncatedVlan},
      {"three_tags",
       FrameBuilder().eth().vlan(kQinq, 1).vlan(kVlan, 2).vlan(kVlan, 3).type(kIpv4)
           .ipv4("198.18.0.1", "198.19.0.2", kTcp).tcp(1, 2, 0).build(),
       S::TooManyVlanTags},
      {"ipv4_19_bytes", FrameBuilder().eth().type(kIpv4).payload(19).build(), S::TruncatedIpv4},
      {"ipv4_version_5", edit(v4_tcp(), [](auto& f) { f[14] = 0x55; }), S::BadIpv4Version},
      {"ipv4_ihl_4", edit(v4_tcp(), [](auto& f) { f[14] = 0x44; }), S::BadIpv4HeaderLength},
      {"ipv4_ihl_past_frame",
       edit(FrameBuilder().eth().type(kIpv4).ipv4("198.18.0.1", "198.19.0.2", 59).payload(8)
                .build(),
            [](auto& f) { f[14] = 0x4f; }),
       S::BadIpv4HeaderLength},
      {"ipv4_total_below_header", edit(v4_tcp(), [](auto& f) { set_v4(f, 3, 19); }),
       S::Ipv4LengthTooShort},
      {"ipv4_total_past_frame", edit(v4_tcp(), [](auto& f) { set_v4(f, 3, 49); }),
       S::Ipv4LengthPastFrame},
      {"ipv4_bad_checksum", edit(v4_tcp(), [](auto& f) { f[14 + 11] ^= 1; }), S::BadIpv4Checksum},
      {"ipv4_ttl_changed", edit(v4_tcp(), [](auto& f) { f[14 + 8] = 1; }), S::BadIpv4Checksum},
      {"ipv6_39_bytes", FrameBuilder().eth().type(kIpv6).payload(39).build(), S::TruncatedIpv6},
      {"ipv6_version_4", edit(v6_tcp(), [](auto& f) { f[14] = 0x40; }), S::BadIpv6Version},
      {"ipv6_length_past_frame", edit(v6_tcp(), [](auto& f) { f[14 + 5] += 1; }),
       S::Ipv6LengthPastFrame},
      {"ipv6_ext_longer_than_payload",
       edit(FrameBuilder().eth().type(kIpv6).ipv6("2001:2::1", "2001:2::2", 0).ext(kTcp)
                .tcp(1, 2, 0).build(),
            [](auto& f) { f[54 + 1] = 4; }),
       S::BadIpv6ExtensionHeader},
      {"ipv6_ext_cut",
       FrameBuilder().eth().type(kIpv6).ipv6("2001:2::1", "2001:2::2", 60).payload(6).build(),
       S::BadIpv6ExtensionHeader},
      {"ipv6_hop_by_hop_not_first",
       FrameBuilder().eth().type(kIpv6).ipv6("2001:2::1", "2001:2::2", 60).ext(0).ext(kTcp)
           .tcp(1, 2, 0).build(),
       S::BadIpv6ExtensionHeader},
      {"ipv6_two_fragment_headers",
       FrameBuilder().eth().type(kIpv6).ipv6("2001:2::1", "2001:2::2", 44).frag6(44, 0, true, 1)
           .frag6(kTcp, 0, true, 1).tcp(1, 2, 0).build(),
       S::BadIpv6ExtensionHeader},
      {"ipv6_ah_past_payload",
       edit(FrameBuilder().eth().type(kIpv6).ipv6("2001:2::1", "2001:2::2", 51).ah(kTcp, 12)
                .build(),
            [](auto& f) { f[54 + 1] = 9; }),
       S::BadIpv6ExtensionHeader},
      {"ipv6_nine_extension_headers", nine_ext_chain, S::TooManyIpv6ExtensionHeaders},
      {"tcp_19_bytes",
       FrameBuilder().eth().type(kIpv4).ipv4("198.18.0.1", "198.19.0.2", kTcp).payload(19).build(),
       S::TruncatedTcp},
      {"tcp_header_in_padding",  // IP length says 10 bytes of TCP; the rest is padding
       FrameBuilder().eth().type(kIpv4).ipv4("198.18.0.1", "198.19.0.2", kTcp).payload(10)
           .pad(16).build(),
       S::TruncatedTcp},
      {"tcp_v6_cut",
       FrameBuilder().eth().type(kIpv6).ipv6("2001:2::1", "2001:2::2", kTcp).payload(12).build(),
       S::TruncatedTcp},
      {"tcp_data_offset_4", edit(v4_tcp(), [](auto& f) { f[34 + 12] = 0x40; }),
       S::BadTcpDataOffset},
      {"tcp_data_offset_past_ip", edit(v4_tcp(), [](auto& f) { f[34 + 12] = 0x80; }),
       S::BadTcpDataOffset},
      {"udp_7_bytes",
       FrameBuilder().eth().type(kIpv4).ipv4("198.18.0.1", "198.19.0.2", kUdp).payload(7).build(),
       S::TruncatedUdp},
      {"udp_length_7",
       edit(FrameBuilder().eth().type(kIpv4).ipv4("198.18.0.1", "198.19.0.2", kUdp).udp(1, 2)
                .payload(4).build(),
            [](auto& f) { FrameBuilder::put16(f, 38, 7); }),
       S::BadUdpLength},
      {"udp_length_past_ip",
       edit(FrameBuilder().eth().type(kIpv4).ipv4("198.18.0.1", "198.19.0.2", kUdp).udp(1, 2)
                .payload(4).pad(20).build(),
            [](auto& f) { FrameBuilder::put16(f, 38, 13); }),
       S::BadUdpLength},
      {"icmp_7_bytes",
       FrameBuilder().eth().type(kIpv4).ipv4("198.18.0.1", "198.19.0.2", kIcmp).payload(7).build(),
       S::TruncatedIcmp},
      {"icmpv6_4_bytes",
       FrameBuilder().eth().type(kIpv6).ipv6("2001:2::1", "2001:2::2", kIcmpv6).payload(4).build(),
       S::TruncatedIcmp},
  };
  std::set<S> covered;
  for (const MalformedCase& c : cases) {
    SCOPED_TRACE(c.name);
    Packet p;
    const S got = decode(c.frame, p);
    EXPECT_EQ(got, c.expected) << decode_status_name(got);
    EXPECT_TRUE(is_malformed(got));
    covered.insert(c.expected);
  }
  // Every malformed reason has at least one row.
  for (int s = static_cast<int>(S::TruncatedEthernet); s < static_cast<int>(S::Count); ++s) {
    EXPECT_TRUE(covered.count(static_cast<S>(s))) << decode_status_name(static_cast<S>(s));
  }
  Packet p;
  EXPECT_EQ(decode(eight_ext_ok, p), S::Ok);  // the cap is inclusive
}

// Cutting a valid frame anywhere before the end of its IP packet must give a
// malformed status (never Ok with spans past the cut); cutting only padding
// changes nothing.
TEST(PacketDecoder, EveryTruncationIsMalformedOrUnchanged) {
  const std::vector<std::vector<uint8_t>> frames = {
      v4_tcp(),
      v6_tcp(),
      FrameBuilder().eth().vlan(kQinq, 5).vlan(kVlan, 6).type(kIpv4)
          .ipv4("198.18.0.1", "198.19.0.2", kUdp, {1, 1, 1, 0}).udp(1, 2).payload(9).pad(12).build(),
      FrameBuilder().eth().type(kIpv6).ipv6("2001:2::1", "2001:2::2", 0).ext(60).ext(44)
          .frag6(kUdp, 0, true, 3).udp(1, 2).payload(16).build(),
      FrameBuilder().eth().type(kIpv6).ipv6("2001:2::1", "2001:2::2", kIcmpv6).icmp(128, 0)
          .payload(4).build(),
  };
  for (const auto& full : frames) {
    Packet whole;
    ASSERT_EQ(decode(full, whole), DecodeStatus::Ok);
    const uint32_t ip_end = uint32_t{whole.l3_offset} + whole.l3_len;
    for (uint32_t cut = 0; cut < full.size(); ++cut) {
      SCOPED_TRACE(cut);
      const std::vector<uint8_t> part(full.begin(), full.begin() + cut);
      Packet p;
      const DecodeStatus s = decode(part, p);
      if (cut >= ip_end) {
        EXPECT_EQ(s, DecodeStatus::Ok);
        EXPECT_EQ(p.payload_len, whole.payload_len);
      } else {
        EXPECT_TRUE(is_malformed(s)) << decode_status_name(s);
      }
    }
  }
}

TEST(PacketDecoder, StatusNamesAreUniqueAndKnown) {
  std::set<std::string> names;
  for (int s = 0; s < static_cast<int>(DecodeStatus::Count); ++s) {
    const std::string n = decode_status_name(static_cast<DecodeStatus>(s));
    EXPECT_NE(n, "unknown");
    EXPECT_TRUE(names.insert(n).second) << n;
  }
  EXPECT_STREQ(decode_status_name(DecodeStatus::BadIpv4Checksum), "bad_ipv4_checksum");
}

// RFC 1071 as written: 16-bit big-endian words, folded, a correct header
// sums to 0xffff. The oracle for ipv4_checksum_ok()'s divisibility test.
bool rfc1071_ok(const uint8_t* h, uint32_t len) {
  uint32_t sum = 0;
  for (uint32_t i = 0; i < len; i += 2) sum += static_cast<uint32_t>(h[i] << 8 | h[i + 1]);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  return sum == 0xffff;
}

TEST(Ipv4Checksum, AgreesWithRfc1071) {
  std::mt19937 rng(1071);
  uint8_t h[60];
  auto check = [&](uint32_t len) {
    ASSERT_EQ(decode_detail::ipv4_checksum_ok(h, len), rfc1071_ok(h, len)) << "len " << len;
  };
  for (int round = 0; round < 200000; ++round) {
    const uint32_t len = 20 + 4 * (rng() % 11);
    // Random bytes, mostly from a small alphabet so that carries, 0x0000 and
    // 0xffff words and near-valid sums are common.
    for (uint32_t i = 0; i < len; ++i) h[i] = (rng() & 3) == 0 ? static_cast<uint8_t>(rng()) : (rng() & 1 ? 0xff : 0);
    check(len);
    // The same header with its checksum field made correct, then off by one bit.
    h[10] = h[11] = 0;
    uint32_t sum = 0;
    for (uint32_t i = 0; i < len; i += 2) sum += static_cast<uint32_t>(h[i] << 8 | h[i + 1]);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
    h[10] = static_cast<uint8_t>(~sum >> 8);
    h[11] = static_cast<uint8_t>(~sum);
    ASSERT_TRUE(rfc1071_ok(h, len));
    check(len);
    h[rng() % len] ^= static_cast<uint8_t>(1u << (rng() % 8));
    check(len);
  }
  std::memset(h, 0, sizeof h);
  check(20);  // all zeros: sums to 0, not 0xffff
  std::memset(h, 0xff, sizeof h);
  for (uint32_t len = 20; len <= 60; len += 4) check(len);
}

}  // namespace
}  // namespace weir::dp
