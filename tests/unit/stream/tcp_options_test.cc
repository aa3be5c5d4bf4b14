// parse_tcp_options(): the options the stream stage uses, and malformed lists.

#include "dataplane/stream/tcp_options.h"

#include <gtest/gtest.h>

#include "dataplane/decode/packet_decoder.h"
#include "tests/unit/stream/tcp_segment_builder.h"

namespace weir::dp::test {
namespace {

TcpOptions parse(const std::vector<uint8_t>& opts) {
  static std::vector<uint8_t> f;
  f = build_segment({.seq = 1, .flags = tcp_flag::kSyn, .options = opts});
  Packet p;
  EXPECT_EQ(decode_packet(f.data(), static_cast<uint32_t>(f.size()), p), DecodeStatus::Ok);
  return parse_tcp_options(p);
}

TEST(TcpOptions, ParsesSynOptions) {
  const TcpOptions o = parse(cat(cat(cat(opt_mss(1460), {4, 2}), opt_timestamp(7, 9)), opt_wscale(7)));
  EXPECT_TRUE(o.has_mss);
  EXPECT_EQ(o.mss, 1460);
  EXPECT_TRUE(o.sack_permitted);
  EXPECT_TRUE(o.has_timestamp);
  EXPECT_EQ(o.ts_val, 7u);
  EXPECT_EQ(o.ts_ecr, 9u);
  EXPECT_TRUE(o.has_wscale);
  EXPECT_EQ(o.wscale, 7);
  EXPECT_FALSE(o.malformed);
}

TEST(TcpOptions, ClampsWindowScale) {
  const TcpOptions o = parse(opt_wscale(30));
  EXPECT_EQ(o.wscale, 14);
}

TEST(TcpOptions, StopsAtMalformedLength) {
  // MSS, then a timestamp whose length runs past the header.
  TcpOptions o = parse({2, 4, 5, 0xb4, 8, 40, 0, 0});
  EXPECT_TRUE(o.has_mss);
  EXPECT_FALSE(o.has_timestamp);
  EXPECT_TRUE(o.malformed);
  o = parse({3, 0, 7, 0});  // zero length must not loop
  EXPECT_TRUE(o.malformed);
  EXPECT_FALSE(o.has_wscale);
}

TEST(TcpOptions, EndOfListStops) {
  const TcpOptions o = parse({0, 3, 3, 7});
  EXPECT_FALSE(o.has_wscale);
  EXPECT_FALSE(o.malformed);
}

}  // namespace
}  // namespace weir::dp::test
