// stream_reassembly_bench: throughput of the TCP stream stage alone (no
// decode, no DPDK): N concurrent flows, round-robin, 1448-byte segments from
// the client, a server ACK every second segment (delayed ACK), and a share
// of segment pairs swapped so one of them arrives out of order. The sink
// reads every byte it gets (a sum), as a parser would. Prints ns/segment,
// Gbps of payload on one core, and the stream stage's memory per idle flow.
//
// Usage: stream_reassembly_bench [flows (1000)] [segments (4000000)] [reorder % (0)]
//                                [sink reads bytes: 1 (default) or 0]

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>

#include "dataplane/packet.h"
#include "dataplane/stream/stream_context.h"
#include "dataplane/stream/tcp_stream.h"
#include "dataplane/stream/tcp_stream_table.h"

namespace {

using namespace weir::dp;

constexpr uint32_t kMss = 1448;
constexpr uint32_t kHeaders = 14 + 20 + 20;

class SummingSink : public StreamSink {
 public:
  SinkVerdict on_chunk(const weir::parse::StreamChunk& c, uint64_t) override {
    if (touch_) {
      for (uint8_t b : c.bytes) sum_ += b;
    }
    bytes_ += c.bytes.size();
    return SinkVerdict::Continue;
  }
  uint64_t bytes_ = 0;
  uint64_t sum_ = 0;
  bool touch_ = true;
};

double thread_seconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

Packet segment(const uint8_t* frame, bool from_client, uint32_t seq, uint32_t ack, uint8_t flags,
               uint16_t payload) {
  Packet p;
  p.frame = frame;
  p.frame_len = kHeaders + payload;
  p.l3 = L3Kind::Ipv4;
  p.l3_offset = 14;
  p.l4 = L4Kind::Tcp;
  p.l4_offset = 34;
  p.tcp_header_len = 20;
  p.payload_offset = kHeaders;
  p.payload_len = payload;
  p.tcp_seq = seq;
  p.tcp_ack = ack;
  p.tcp_flags = flags;
  p.tcp_window = 65535;
  p.side = from_client ? Side::Client : Side::Server;
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  const uint32_t flows = argc > 1 ? static_cast<uint32_t>(std::atoi(argv[1])) : 1000;
  const uint64_t segments = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 4000000;
  const uint32_t reorder = argc > 3 ? static_cast<uint32_t>(std::atoi(argv[3])) : 0;

  StreamConfig cfg;
  cfg.memory_blocks = flows * 8 + 1024;
  StreamContext ctx(cfg);
  TcpStreamTable table(flows + 1);
  SummingSink sink;
  sink.touch_ = argc > 4 ? std::atoi(argv[4]) != 0 : true;
  std::vector<uint8_t> frame(kHeaders + kMss);
  for (size_t i = 0; i < frame.size(); ++i) frame[i] = static_cast<uint8_t>(i * 31);

  struct State {
    uint32_t cisn, sisn, next;  // next: relative offset of the next new segment
    bool hold;                  // a segment is held back to be sent after its successor
    uint32_t held_rel;
  };
  std::vector<State> st(flows);
  for (uint32_t f = 0; f < flows; ++f) {
    st[f] = {f * 2654435761u, f * 40503u, 0, false, 0};
    TcpStream& s = table.at(f + 1);
    s.on_segment(ctx, segment(frame.data(), true, st[f].cisn, 0, tcp_flag::kSyn, 0), true, {}, sink);
    s.on_segment(ctx, segment(frame.data(), false, st[f].sisn, st[f].cisn + 1, tcp_flag::kSyn | tcp_flag::kAck, 0),
                 false, {}, sink);
  }

  uint64_t sent = 0, acks = 0, not_forwarded = 0;
  uint32_t rng = 12345;
  const double t0 = thread_seconds();
  while (sent < segments) {
    for (uint32_t f = 0; f < flows && sent < segments; ++f) {
      State& x = st[f];
      TcpStream& s = table.at(f + 1);
      rng = rng * 1103515245u + 12345u;
      uint32_t rel;
      if (x.hold) {
        rel = x.held_rel;  // the gap filler, after its successor went first
        x.hold = false;
      } else if ((rng >> 16) % 100 < reorder) {
        x.hold = true;  // skip one: send the next segment first
        x.held_rel = x.next;
        rel = x.next + kMss;
        x.next += 2 * kMss;
      } else {
        rel = x.next;
        x.next += kMss;
      }
      const Packet p = segment(frame.data(), true, x.cisn + 1 + rel, x.sisn + 1, tcp_flag::kAck, kMss);
      const SegmentVerdict v = s.on_segment(ctx, p, true, {}, sink);
      not_forwarded += v.action != SegmentAction::Forward;
      ++sent;
      if (!x.hold && (x.next / kMss) % 2 == 0) {
        const uint32_t delivered = s.direction(true).next_seq();
        s.on_segment(ctx, segment(frame.data(), false, x.sisn + 1, delivered, tcp_flag::kAck, 0), false, {},
                     sink);
        ++acks;
      }
    }
  }
  const double secs = thread_seconds() - t0;
  const double bits = static_cast<double>(sink.bytes_) * 8;
  std::printf("flows=%u segments=%llu reorder=%u%% sink_reads=%d acks=%llu dropped=%llu\n", flows,
              static_cast<unsigned long long>(sent), reorder, sink.touch_ ? 1 : 0,
              static_cast<unsigned long long>(acks),
              static_cast<unsigned long long>(not_forwarded));
  std::printf("stream stage: %.1f ns/data segment (acks included), %.2f Gbps payload per core, "
              "inspected %llu bytes (sum %llu)\n",
              secs * 1e9 / static_cast<double>(sent), bits / secs / 1e9,
              static_cast<unsigned long long>(sink.bytes_), static_cast<unsigned long long>(sink.sum_ & 0xff));
  std::printf("memory: %zu bytes per idle flow (TcpStream), pool high water %u blocks of %u bytes\n",
              TcpStreamTable::bytes_per_flow(), ctx.memory.high_water(), StreamBlock::kSize);
  for (uint32_t f = 0; f < flows; ++f) table.release(f + 1, ctx);
  return ctx.memory.in_use() == 0 ? 0 : 1;
}
