// build_tcp_reset() against frames built and checksummed by scapy 2.5
// (the expected bytes below), and round-tripped through decode_packet()
// with the checksum verified by tcp_checksum_ok().

#include "dataplane/stream/tcp_reset_builder.h"

#include <gtest/gtest.h>

#include <vector>

#include "dataplane/decode/packet_decoder.h"
#include "dataplane/stream/tcp_checksum.h"
#include "tests/unit/stream/tcp_segment_builder.h"

namespace weir::dp::test {
namespace {

// Ether(dst=02::02, src=02::01)/IP(198.18.0.1 > 198.18.1.1, ttl 64, DF, id 0)/
// TCP(40000 > 80, seq 0x11223344, ack 0x55667788, RA, window 0), padded to 60.
const std::vector<uint8_t> kScapyV4 = {
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x45,
    0x00, 0x00, 0x28, 0x00, 0x00, 0x40, 0x00, 0x40, 0x06, 0xad, 0xa9, 0xc6, 0x12, 0x00, 0x01,
    0xc6, 0x12, 0x01, 0x01, 0x9c, 0x40, 0x00, 0x50, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
    0x88, 0x50, 0x14, 0x00, 0x00, 0x74, 0xc4, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};

// Ether(dst=02::01, src=02::02)/Dot1AD(vlan 100)/Dot1Q(vlan 200)/
// IPv6(2001:2::2 > 2001:2::1, hlim 64)/TCP(80 > 40000, seq 0xfffffffe, ack 7, RA).
const std::vector<uint8_t> kScapyV6Qinq = {
    0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x88, 0xa8, 0x00,
    0x64, 0x81, 0x00, 0x00, 0xc8, 0x86, 0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x14, 0x06, 0x40,
    0x20, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x02, 0x20, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x01, 0x00, 0x50, 0x9c, 0x40, 0xff, 0xff, 0xff, 0xfe, 0x00, 0x00, 0x00, 0x07, 0x50,
    0x14, 0x00, 0x00, 0xd3, 0x31, 0x00, 0x00};

Packet decoded(const std::vector<uint8_t>& f) {
  Packet p;
  EXPECT_EQ(decode_packet(f.data(), static_cast<uint32_t>(f.size()), p), DecodeStatus::Ok);
  return p;
}

TEST(TcpResetBuilder, Ipv4TowardReceiverMatchesScapy) {
  const auto in = build_segment({.seq = 1, .ack = 2, .payload = "GET /attack"});
  const Packet p = decoded(in);
  uint8_t out[kMaxResetFrameLen];
  const uint32_t n = build_tcp_reset(p, ResetTarget::Receiver, 0x11223344, 0x55667788, out, sizeof out);
  ASSERT_EQ(n, kScapyV4.size());
  EXPECT_EQ(std::vector<uint8_t>(out, out + n), kScapyV4);
}

TEST(TcpResetBuilder, Ipv6QinqTowardSenderMatchesScapy) {
  // A client packet; the RST goes back to the client from the "server".
  const auto in = build_segment(
      {.v6 = true, .seq = 1, .ack = 2, .payload = "x", .vlans = {100, 200}});
  const Packet p = decoded(in);
  uint8_t out[kMaxResetFrameLen];
  // Built from a server->client packet toward its receiver is the same frame;
  // here from the client's own packet toward its sender.
  const uint32_t n = build_tcp_reset(p, ResetTarget::Sender, 0xfffffffe, 7, out, sizeof out);
  ASSERT_EQ(n, kScapyV6Qinq.size());
  EXPECT_EQ(std::vector<uint8_t>(out, out + n), kScapyV6Qinq);
}

TEST(TcpResetBuilder, RoundTripsThroughDecoderWithValidChecksum) {
  for (bool v6 : {false, true}) {
    for (ResetTarget t : {ResetTarget::Sender, ResetTarget::Receiver}) {
      const auto in = build_segment({.v6 = v6, .seq = 9, .ack = 10, .vlans = {42}});
      const Packet p = decoded(in);
      uint8_t out[kMaxResetFrameLen];
      const uint32_t n = build_tcp_reset(p, t, 123456789, 987654321, out, sizeof out);
      ASSERT_GT(n, 0u);
      Packet r;
      ASSERT_EQ(decode_packet(out, n, r), DecodeStatus::Ok);
      EXPECT_TRUE(tcp_checksum_ok(r));
      EXPECT_EQ(r.vlan_outer, 42);
      EXPECT_EQ(r.tcp_seq, 123456789u);
      EXPECT_EQ(r.tcp_ack, 987654321u);
      EXPECT_EQ(r.tcp_flags, tcp_flag::kRst | tcp_flag::kAck);
      const bool back = t == ResetTarget::Sender;
      EXPECT_EQ(r.src, back ? p.dst : p.src);
      EXPECT_EQ(r.dst_port, back ? p.src_port : p.dst_port);
    }
  }
}

TEST(TcpResetBuilder, RefusesSmallBufferAndNonTcp) {
  const auto in = build_segment({.seq = 1});
  Packet p = decoded(in);
  uint8_t out[kMaxResetFrameLen];
  EXPECT_EQ(build_tcp_reset(p, ResetTarget::Sender, 1, 1, out, 59), 0u);
  p.l4 = L4Kind::Udp;
  EXPECT_EQ(build_tcp_reset(p, ResetTarget::Sender, 1, 1, out, sizeof out), 0u);
}

TEST(TcpChecksum, DetectsCorruption) {
  auto f = build_segment({.seq = 1, .payload = "payload"});
  EXPECT_TRUE(tcp_checksum_ok(decoded(f)));
  f.back() ^= 0x01;
  EXPECT_FALSE(tcp_checksum_ok(decoded(f)));
  auto g = build_segment({.v6 = true, .seq = 1, .payload = "odd"});
  EXPECT_TRUE(tcp_checksum_ok(decoded(g)));
  g[g.size() - 2] ^= 0x80;
  EXPECT_FALSE(tcp_checksum_ok(decoded(g)));
}

}  // namespace
}  // namespace weir::dp::test
