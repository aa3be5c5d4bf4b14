// TcpStream cases that need more than a verdict table: sequence wrap, window
// scaling, PAWS, port sides, mid-stream policy, memory caps and release,
// sink blocking and the RST numbers, SYN-SENT resets, port reuse, IPv6.

#include <gtest/gtest.h>

#include <string>

#include "dataplane/stream/tcp_stream.h"
#include "tests/unit/stream/stream_harness.h"

namespace weir::dp::test {
namespace {

using A = SegmentAction;
using R = SegmentReason;

TEST(TcpStreamEdge, SequenceWrapOutOfOrder) {
  StreamHarness h;
  h.cisn = 0xfffffff0u;  // data starts at 0xfffffff1 and wraps after 15 bytes
  h.handshake();
  EXPECT_EQ(h.c(20, "0123456789").reason, R::OutOfOrder);   // past the wrap
  EXPECT_EQ(h.c(10, "abcdefghij").reason, R::OutOfOrder);   // straddles it
  EXPECT_EQ(h.c(0, "ABCDEFGHIJ").reason, R::InOrder);
  EXPECT_EQ(h.sink.stream[0], "ABCDEFGHIJabcdefghij0123456789");
  EXPECT_EQ(h.c(12, "cdeXg").reason, R::OverlapMismatch);  // across the wrap
  EXPECT_EQ(h.stream.direction(true).next_seq(), 0xfffffff1u + 30);
  h.server_ack(30);
  EXPECT_EQ(h.stream.direction(true).blocks(), 0u);
}

TEST(TcpStreamEdge, WindowScaleFromSynOptions) {
  StreamHarness h;
  h.handshake(opt_wscale(7), opt_wscale(7), 65535, 10);  // a SYN window is not scaled
  EXPECT_EQ(h.c(5, "0123456789").reason, R::OutOfWindow);
  h.server_ack(0, 10);  // 10 << 7 = 1280 bytes
  EXPECT_EQ(h.c(1270, "0123456789").reason, R::OutOfOrder);
  EXPECT_EQ(h.c(1271, "0123456789").reason, R::OutOfWindow);
}

TEST(TcpStreamEdge, WindowNotScaledUnlessBothSynsOfferIt) {
  StreamHarness h;
  h.handshake(opt_wscale(7), {}, 65535, 10);
  h.server_ack(0, 1000);
  EXPECT_EQ(h.c(990, "0123456789").reason, R::OutOfOrder);
  EXPECT_EQ(h.c(991, "0123456789").reason, R::OutOfWindow);
}

TEST(TcpStreamEdge, PawsDropsOlderTimestamp) {
  StreamHarness h;
  h.handshake(opt_timestamp(100, 0), opt_timestamp(900, 100));
  auto ts = [&](uint32_t rel, const std::string& d, uint32_t val) {
    return h.send({.seq = h.cisn + 1 + rel, .ack = h.sisn + 1, .flags = flag::kAck,
                   .options = opt_timestamp(val, 900), .payload = d});
  };
  EXPECT_EQ(ts(0, "abc", 200).reason, R::InOrder);
  EXPECT_EQ(ts(3, "EVIL", 150).reason, R::Paws);  // the server would discard it
  EXPECT_EQ(ts(3, "good", 201).reason, R::InOrder);
  EXPECT_EQ(h.sink.stream[0], "abcgood");
}

TEST(TcpStreamEdge, SpoofedDirectionOnWrongPortIsDropped) {
  StreamHarness h;
  h.handshake();
  EXPECT_EQ(h.c(0, "hello").reason, R::InOrder);
  // A forged "server ACK" arriving on the client's port must not free history.
  h.spoof_side = true;
  EXPECT_EQ(h.server_ack(5).reason, R::WrongSide);
  h.spoof_side = false;
  EXPECT_EQ(h.c(0, "HELLO").reason, R::OverlapMismatch);
}

TEST(TcpStreamEdge, SideCheckCanBeTurnedOff) {
  StreamConfig cfg = StreamHarness::small();
  cfg.check_side = false;
  StreamHarness h(cfg);
  h.handshake();
  h.spoof_side = true;
  EXPECT_EQ(h.server_ack(0).reason, R::Control);
}

TEST(TcpStreamEdge, MidStreamAcceptStartsAtFirstSeq) {
  StreamHarness h;  // no handshake
  EXPECT_EQ(h.c(100, "world").reason, R::InOrder);
  EXPECT_EQ(h.c(95, "hello").reason, R::UnverifiableRetransmission);
  h.server_ack(95);  // the receiver lacks [95,100): never acknowledged, still unverifiable
  EXPECT_EQ(h.c(95, "hello").reason, R::UnverifiableRetransmission);
  h.server_ack(105);
  EXPECT_EQ(h.c(95, "HELLOworld").reason, R::AckedRetransmission);
  EXPECT_EQ(h.sink.stream[0], "world");
}

TEST(TcpStreamEdge, MidStreamIgnoreBypasses) {
  StreamConfig cfg = StreamHarness::small();
  cfg.mid_stream = MidStreamPolicy::Ignore;
  StreamHarness h(cfg);
  EXPECT_EQ(h.c(100, "world").action, A::Bypass);
  EXPECT_EQ(h.s(0, "resp").action, A::Bypass);
  EXPECT_EQ(h.sink.stream[0], "");
  EXPECT_EQ(h.ctx.stats.count(R::MidStreamIgnored), 2u);
}

TEST(TcpStreamEdge, WorkerMemoryCapDropsAndNeverForwardsUninspected) {
  StreamConfig cfg = StreamHarness::small();
  cfg.memory_blocks = 3;
  StreamHarness h(cfg);
  h.handshake();
  constexpr uint32_t kD = StreamBlock::kDataBytes;
  const std::string a(kD, 'a'), b(kD, 'b'), c(kD, 'c'), gap(kD, 'g');
  EXPECT_EQ(h.c(10, a).reason, R::OutOfOrder);
  EXPECT_EQ(h.c(10 + 2 * kD, b).reason, R::OutOfOrder);
  EXPECT_EQ(h.c(10 + 4 * kD, c).reason, R::OutOfOrder);
  EXPECT_EQ(h.ctx.memory.in_use(), 3u);
  // Out-of-order data that needs a fourth block: dropped, not forwarded.
  const SegmentVerdict v = h.c(10 + 6 * kD, "late");
  EXPECT_EQ(v.action, A::Drop);
  EXPECT_EQ(v.reason, R::MemoryCap);
  EXPECT_EQ(h.sink.stream[0], "");
  // The gap filler cannot be stored either, but out-of-order data waits for
  // it: inspected from the packet, with the buffered run after it.
  EXPECT_EQ(h.c(0, "0123456789").reason, R::InOrderUnstored);
  EXPECT_EQ(h.sink.stream[0], "0123456789" + a);
  // Its bytes are no history: a retransmission waits for the receiver's ACK.
  EXPECT_EQ(h.c(0, "0123456789").reason, R::UnverifiableRetransmission);
  h.server_ack(10);
  EXPECT_EQ(h.c(0, "0123456789").reason, R::AckedRetransmission);
  // A filler with new bytes past another gap is not a single run: dropped.
  EXPECT_EQ(h.c(10 + kD, gap + b + gap + c + "tail").reason, R::MemoryCap);
  EXPECT_EQ(h.c(10 + kD, gap).reason, R::InOrderUnstored);
  EXPECT_EQ(h.sink.stream[0], "0123456789" + a + gap + b);
  EXPECT_EQ(h.ctx.stats.count(R::MemoryCap), 2u);
  h.stream.release(h.ctx);
  EXPECT_EQ(h.ctx.memory.in_use(), 0u);
}

TEST(TcpStreamEdge, PerDirectionCapLetsTheGapFillerThrough) {
  StreamConfig cfg = StreamHarness::small();
  cfg.max_blocks_per_direction = 2;
  StreamHarness h(cfg);
  h.handshake();
  const std::string x(StreamBlock::kDataBytes, 'x');
  EXPECT_EQ(h.c(100, x).reason, R::OutOfOrder);
  EXPECT_EQ(h.c(100 + 2 * StreamBlock::kDataBytes, x).reason, R::OutOfOrder);
  EXPECT_EQ(h.c(100 + 4 * StreamBlock::kDataBytes, x).reason, R::FlowMemoryCap);
  EXPECT_EQ(h.c(0, std::string(100, 'f')).reason, R::InOrderUnstored);
  EXPECT_EQ(h.sink.stream[0], std::string(100, 'f') + x);
}

TEST(TcpStreamEdge, PerDirectionCapThrottlesUnacknowledgedData) {
  StreamConfig cfg = StreamHarness::small();
  cfg.max_blocks_per_direction = 2;
  StreamHarness h(cfg);
  h.handshake();
  const std::string chunk(StreamBlock::kDataBytes, 'y');
  EXPECT_EQ(h.c(0, chunk).reason, R::InOrder);
  EXPECT_EQ(h.c(StreamBlock::kDataBytes, chunk).reason, R::InOrder);
  EXPECT_EQ(h.c(2 * StreamBlock::kDataBytes, "z").reason, R::FlowMemoryCap);
  h.server_ack(StreamBlock::kDataBytes);  // frees the first block
  EXPECT_EQ(h.c(2 * StreamBlock::kDataBytes, "z").reason, R::InOrder);
  EXPECT_EQ(h.stream.direction(true).blocks(), 2u);
}

TEST(TcpStreamEdge, OneByteSegmentsShareBlocks) {
  StreamHarness h;
  h.handshake();
  for (uint32_t i = 0; i < 3000; ++i) ASSERT_EQ(h.c(i, "a").reason, R::InOrder);
  EXPECT_EQ(h.stream.direction(true).blocks(), 2u);  // 3000 bytes in 2036-byte blocks
  h.server_ack(3000);
  EXPECT_EQ(h.ctx.memory.in_use(), 0u);
}

TEST(TcpStreamEdge, LargeSegmentSpansBlocks) {
  StreamHarness h;
  h.handshake();
  std::string d(6000, 0);
  for (size_t i = 0; i < d.size(); ++i) d[i] = static_cast<char>('a' + i % 26);
  EXPECT_EQ(h.c(3000, d.substr(3000)).reason, R::OutOfOrder);
  EXPECT_EQ(h.c(0, d.substr(0, 3500)).reason, R::InOrder);
  EXPECT_EQ(h.sink.stream[0], d);
  std::string bad = d.substr(2000, 3000);
  bad[2500] = '!';
  EXPECT_EQ(h.c(2000, bad).reason, R::OverlapMismatch);
}

TEST(TcpStreamEdge, SinkBlockHoldsTheCompletingSegment) {
  StreamHarness h;
  h.handshake();
  h.sink.block_marker = "EVIL";
  EXPECT_EQ(h.c(0, "E").action, A::Forward);
  EXPECT_EQ(h.c(1, "V").action, A::Forward);
  EXPECT_EQ(h.c(3, "L").reason, R::OutOfOrder);
  const SegmentVerdict v = h.c(2, "I");  // completes the marker with the buffered "L"
  EXPECT_EQ(v.action, A::Block);
  EXPECT_EQ(v.reason, R::SinkBlocked);
  EXPECT_EQ(h.c(4, "more").reason, R::Blocked);
  EXPECT_EQ(h.s(0, "resp").reason, R::Blocked);
  EXPECT_TRUE(h.stream.blocked());
  EXPECT_EQ(h.ctx.memory.in_use(), 0u);
  ResetNumbers to_server, to_client;
  ASSERT_TRUE(h.stream.reset_numbers(false, to_server));
  ASSERT_TRUE(h.stream.reset_numbers(true, to_client));
  EXPECT_EQ(to_server.seq, h.cisn + 1 + 4);  // the server's RCV.NXT
  EXPECT_EQ(to_server.ack, h.sisn + 1);
  EXPECT_EQ(to_client.seq, h.sisn + 1);
  EXPECT_EQ(to_client.ack, h.cisn + 1 + 4);
}

TEST(TcpStreamEdge, SynSentRstMustAckTheSyn) {
  StreamHarness h;
  EXPECT_EQ(h.send({.seq = h.cisn, .flags = flag::kSyn}).reason, R::Handshake);
  EXPECT_EQ(h.send({.from_client = false, .seq = 0, .ack = h.cisn + 5,
                    .flags = flag::kRst | flag::kAck}).reason, R::InvalidRst);
  EXPECT_EQ(h.send({.from_client = false, .seq = 0, .ack = h.cisn + 1,
                    .flags = flag::kRst | flag::kAck}).reason, R::RstAccepted);
  EXPECT_TRUE(h.stream.reset_seen());
}

TEST(TcpStreamEdge, UnexpectedSynAndPortReuseAfterClose) {
  StreamHarness h;
  h.handshake();
  EXPECT_EQ(h.c(0, "x").reason, R::InOrder);
  EXPECT_EQ(h.send({.seq = 777, .flags = flag::kSyn}).reason, R::UnexpectedSyn);
  EXPECT_EQ(h.send({.seq = h.cisn, .flags = flag::kSyn}).reason, R::Handshake);  // retransmitted SYN
  EXPECT_EQ(h.c(1, "", flag::kAck | flag::kFin).reason, R::InOrder);
  EXPECT_EQ(h.s(0, "", flag::kAck | flag::kFin).reason, R::InOrder);
  EXPECT_EQ(h.send({.seq = 777, .flags = flag::kSyn}).reason, R::Handshake);
  EXPECT_EQ(h.stream.direction(true).next_seq(), 778u);
}

TEST(TcpStreamEdge, Ipv6Flow) {
  StreamHarness h(StreamHarness::small(), true);
  h.handshake();
  EXPECT_EQ(h.c(4, "5678").reason, R::OutOfOrder);
  EXPECT_EQ(h.c(0, "1234").reason, R::InOrder);
  EXPECT_EQ(h.c(2, "3X56").reason, R::OverlapMismatch);
  EXPECT_EQ(h.sink.stream[0], "12345678");
}

TEST(TcpStreamEdge, CountersNameEveryReason) {
  for (size_t i = 0; i < static_cast<size_t>(R::Count); ++i) {
    EXPECT_STRNE(segment_reason_name(static_cast<R>(i)), "unknown");
  }
  EXPECT_TRUE(segment_reason_is_finding(R::OverlapMismatch));
  EXPECT_FALSE(segment_reason_is_finding(R::MemoryCap));
}

}  // namespace
}  // namespace weir::dp::test
