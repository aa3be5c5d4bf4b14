// libFuzzer target: TcpStream driven by a script of segments on a few flows
// sharing one worker's StreamContext (small memory, so the caps are hit).
// Invariants, checked after every segment:
//  * the sink receives each direction's bytes in order, exactly once
//    (offsets contiguous, nothing after end of stream);
//  * a model TCP receiver fed only with the segments Weir forwarded (some of
//    them lost on the way, as downstream loss does) never
//    holds two different bytes for one position it has not yet read, and
//    what it reads is a prefix of what the sink inspected: no byte reaches
//    the server uninspected or out of the order it was inspected in;
//  * after Block or an accepted RST no data segment is forwarded;
//  * the blocks the flows hold add up to the pool's in-use count, and the
//    pool is empty once every flow is released.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "dataplane/decode/packet_decoder.h"
#include "dataplane/stream/stream_context.h"
#include "dataplane/stream/tcp_stream.h"
#include "tests/fuzz/fuzz_reader.h"
#include "tests/unit/stream/tcp_segment_builder.h"

namespace {

using namespace weir::dp;

using Reader = FuzzReader;

class CheckingSink : public StreamSink {
 public:
  SinkVerdict on_chunk(const weir::parse::StreamChunk& c, uint64_t offset) override {
    const int d = c.direction == weir::parse::Direction::Request ? 0 : 1;
    FUZZ_CHECK(offset == seen[d].size());
    FUZZ_CHECK(!eos[d]);
    seen[d].append(reinterpret_cast<const char*>(c.bytes.data()), c.bytes.size());
    if (c.end_of_stream) eos[d] = true;
    return block_at != 0 && seen[d].size() >= block_at ? SinkVerdict::Block : SinkVerdict::Continue;
  }
  std::string seen[2];
  bool eos[2] = {false, false};
  size_t block_at = 0;
};

// The server as a TCP receiver of the client's bytes (relative offsets).
struct ReceiverModel {
  uint32_t rcv = 0;  // next offset it reads
  std::map<uint32_t, uint8_t> pending;
  std::string read;
  bool fin_known = false;
  uint32_t fin_at = 0;
  bool fin_read = false;

  void receive(uint32_t rel, const std::string& d, bool fin) {
    if (fin_read) return;
    for (uint32_t i = 0; i < d.size(); ++i) {
      const uint32_t r = rel + i;
      if (r < rcv) continue;  // below RCV.NXT: discarded
      auto it = pending.find(r);
      FUZZ_CHECK(it == pending.end() || it->second == static_cast<uint8_t>(d[i]));
      pending[r] = static_cast<uint8_t>(d[i]);
    }
    if (fin) {
      fin_known = true;
      fin_at = rel + static_cast<uint32_t>(d.size());
    }
    for (auto it = pending.find(rcv); it != pending.end(); it = pending.find(rcv)) {
      read.push_back(static_cast<char>(it->second));
      pending.erase(it);
      ++rcv;
    }
    if (fin_known && rcv == fin_at) fin_read = true;
  }
  uint32_t ack_space() const { return rcv + (fin_read ? 1 : 0); }
};

struct FlowUnderTest {
  TcpStream stream;
  CheckingSink sink;
  ReceiverModel model;
  uint32_t cisn = 0;
  uint32_t sisn = 0;
  uint32_t server_sent = 0;
  uint32_t ts = 1;
  bool timestamps = false;
  bool dead = false;     // blocked or reset: no data may be forwarded
  bool modeled = true;   // the receiver model applies (handshake seen)
};

uint8_t truth(uint32_t rel) { return static_cast<uint8_t>(rel * 131u + (rel >> 8)); }

SegmentVerdict send(StreamContext& ctx, FlowUnderTest& f, test::SegmentSpec spec,
                    SegmentHints hints = {}, bool old_ts = false) {
  if (f.timestamps) spec.options = test::opt_timestamp(old_ts ? f.ts - 3 : f.ts, 0);
  const std::vector<uint8_t> frame = test::build_segment(spec);
  Packet p;
  FUZZ_CHECK(decode_packet(frame.data(), static_cast<uint32_t>(frame.size()), p) == DecodeStatus::Ok);
  p.side = spec.from_client ? Side::Client : Side::Server;
  const SegmentVerdict v = f.stream.on_segment(ctx, p, spec.from_client, hints, f.sink);
  FUZZ_CHECK(segment_reason_name(v.reason) != nullptr);
  return v;
}

void open(StreamContext& ctx, FlowUnderTest& f, Reader& in) {
  f.stream.release(ctx);
  const uint8_t mode = in.u8();
  f.sink = CheckingSink{};
  f.model = ReceiverModel{};
  f.cisn = in.u32();
  f.sisn = in.u32();
  f.server_sent = 0;
  f.dead = false;
  f.modeled = true;
  f.timestamps = false;
  f.sink.block_at = (mode & 0x80) != 0 ? 1 + in.u16() % 4096 : 0;
  std::vector<uint8_t> copt, sopt;
  if (mode & 1) copt = test::opt_wscale(mode >> 4 & 7);
  if (mode & 2) sopt = test::opt_wscale(mode >> 1 & 7);
  if (mode & 4) {
    copt = test::cat(copt, test::opt_timestamp(f.ts, 0));
    sopt = test::cat(sopt, test::opt_timestamp(f.ts, 0));
  }
  const uint16_t swin = in.u16();
  send(ctx, f, {.seq = f.cisn, .flags = tcp_flag::kSyn, .options = copt});
  send(ctx, f, {.from_client = false, .seq = f.sisn, .ack = f.cisn + 1,
                .flags = tcp_flag::kSyn | tcp_flag::kAck, .window = swin, .options = sopt});
  f.timestamps = (mode & 4) != 0;
}

void step(StreamContext& ctx, FlowUnderTest& f, Reader& in) {
  const uint8_t op = in.u8();
  switch (op & 7) {
    case 0:
    case 1:
    case 2: {  // client data (the common case)
      const uint32_t rel = in.u16();
      uint32_t len = in.u8();
      if (op & 0x08) len = len * 12;  // multi-block segments
      const uint8_t v8 = in.u8();
      const bool lost = (v8 & 0x80) != 0;  // forwarded, then lost before the server
      const uint8_t variant = v8 & 0x7f;
      std::string d(len, 0);
      for (uint32_t i = 0; i < len; ++i) d[i] = static_cast<char>(truth(rel + i));
      if (variant != 0 && len > 0) d[variant % len] ^= 0x5a;
      const bool fin = (op & 0x10) != 0;
      SegmentHints hints{.bad_checksum = (op & 0x60) == 0x20, .ttl_expires = (op & 0x60) == 0x40};
      if (f.timestamps) ++f.ts;
      const SegmentVerdict v = send(ctx, f, {.seq = f.cisn + 1 + rel, .ack = f.sisn + 1 + f.server_sent,
                                             .flags = static_cast<uint8_t>(tcp_flag::kAck | (fin ? tcp_flag::kFin : 0)),
                                             .payload = d}, hints, (op & 0x80) != 0);
      if (f.dead) FUZZ_CHECK(v.action != SegmentAction::Forward || (len == 0 && !fin));
      if (v.action == SegmentAction::Forward) {
        FUZZ_CHECK(!hints.bad_checksum && !hints.ttl_expires);
        if (f.modeled && !lost) f.model.receive(rel, d, fin);
      }
      if (v.action == SegmentAction::Block) f.dead = true;
      break;
    }
    case 3: {  // the server acknowledges what the model receiver read (or less)
      const uint32_t back = in.u16() % 4096;
      const uint32_t space = f.model.ack_space();
      const uint32_t ack = space - (back < space ? back : space);
      send(ctx, f, {.from_client = false, .seq = f.sisn + 1 + f.server_sent, .ack = f.cisn + 1 + ack,
                    .window = in.u16()});
      break;
    }
    case 4: {  // server data
      const uint32_t len = in.u8() % 64;
      std::string d(len, 'r');
      const SegmentVerdict v = send(ctx, f, {.from_client = false, .seq = f.sisn + 1 + f.server_sent,
                                             .ack = f.cisn + 1 + f.model.ack_space(), .payload = d});
      if (v.action == SegmentAction::Forward && v.reason == SegmentReason::InOrder) f.server_sent += len;
      if (v.action == SegmentAction::Block) f.dead = true;
      break;
    }
    case 5: {  // client RST somewhere
      const uint32_t rel = (op & 0x08) ? f.model.ack_space() : in.u16();
      const SegmentVerdict v = send(ctx, f, {.seq = f.cisn + 1 + rel, .flags = tcp_flag::kRst});
      if (v.action == SegmentAction::Forward) {
        FUZZ_CHECK(v.reason == SegmentReason::RstAccepted);
        f.dead = true;
      }
      break;
    }
    case 6: {  // the flow ends (FlowTable remove hook) and a new one starts in its slot
      open(ctx, f, in);
      break;
    }
    default: {  // mid-stream pick-up on a fresh flow: crash checks only
      f.stream.release(ctx);
      f.sink = CheckingSink{};
      f.model = ReceiverModel{};
      f.timestamps = false;
      f.dead = false;
      f.modeled = false;  // no handshake: the receiver model does not apply
      const uint32_t seq = in.u32();
      std::string d(in.u8(), 'm');
      send(ctx, f, {.seq = seq, .payload = d});
      send(ctx, f, {.from_client = false, .seq = in.u32(), .ack = seq + in.u8(), .window = in.u16()});
      break;
    }
  }
  // What the server read was inspected first, in the same order.
  if (f.modeled) {
    FUZZ_CHECK(f.model.read.size() <= f.sink.seen[0].size());
    FUZZ_CHECK(f.sink.seen[0].compare(0, f.model.read.size(), f.model.read) == 0);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Reader in(data, size);
  StreamConfig cfg;
  cfg.memory_blocks = 24;
  cfg.max_blocks_per_direction = 10;
  cfg.mid_stream = (in.u8() & 1) ? MidStreamPolicy::Ignore : MidStreamPolicy::Accept;
  StreamContext ctx(cfg);
  static constexpr int kFlows = 3;
  FlowUnderTest flows[kFlows];
  for (auto& f : flows) open(ctx, f, in);
  for (int steps = 0; !in.empty() && steps < 2000; ++steps) {
    FlowUnderTest& f = flows[in.u8() % kFlows];
    step(ctx, f, in);
    uint32_t held = 0;
    for (const auto& g : flows) held += g.stream.direction(true).blocks() + g.stream.direction(false).blocks();
    FUZZ_CHECK(held == ctx.memory.in_use());
  }
  for (auto& f : flows) f.stream.release(ctx);
  FUZZ_CHECK(ctx.memory.in_use() == 0);
  return 0;
}
