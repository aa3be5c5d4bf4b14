// stream_reassembly_bench: throughput of TCP reassembly on one core (no
// DPDK): N concurrent flows, round-robin, 1448-byte segments from the
// client, a server ACK every second segment (delayed ACK), and a share of
// segment pairs swapped so one of them arrives out of order. The sink reads
// every byte it gets (a sum), as a parser would.
//
// The same segment sequence runs twice in one process: the spine's
// per-packet work (decode of the real frame, flow key, flow table) alone,
// then the spine plus the stream stage, so the ratio shows what reassembly
// costs on top of forwarding. Prints ns/segment, Gbps of payload per core,
// the ratio, and the stream stage's memory per idle flow.
//
// Usage: stream_reassembly_bench [flows (1000)] [segments (4000000)] [reorder % (0)]
//                                [sink reads bytes: 1 (default) or 0]

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>

#include "config/weir_config.h"
#include "dataplane/decode/packet_decoder.h"
#include "dataplane/flow/flow_key.h"
#include "dataplane/flow/flow_table.h"
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

// A real Ethernet/IPv4/TCP frame (IPv4 checksum valid: decode checks it);
// ports and sequence numbers are patched per segment.
std::vector<uint8_t> template_frame() {
  std::vector<uint8_t> f(kHeaders + kMss);
  for (size_t i = 0; i < f.size(); ++i) f[i] = static_cast<uint8_t>(i * 31);
  const uint8_t eth[14] = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00};
  std::copy(eth, eth + 14, f.begin());
  uint8_t* ip = f.data() + 14;
  const uint16_t total = 20 + 20 + kMss;
  const uint8_t hdr[20] = {0x45, 0, static_cast<uint8_t>(total >> 8), static_cast<uint8_t>(total), 0, 1, 0x40, 0,
                           64, 6, 0, 0, 198, 18, 0, 1, 198, 18, 0, 2};
  std::copy(hdr, hdr + 20, ip);
  uint32_t sum = 0;
  for (int i = 0; i < 20; i += 2) sum += static_cast<uint32_t>(ip[i] << 8 | ip[i + 1]);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  ip[10] = static_cast<uint8_t>(~sum >> 8);
  ip[11] = static_cast<uint8_t>(~sum);
  uint8_t* tcp = ip + 20;
  tcp[12] = 5 << 4;  // data offset
  tcp[13] = tcp_flag::kAck;
  tcp[14] = 0xff;
  tcp[15] = 0xff;
  return f;
}

void patch(std::vector<uint8_t>& f, uint16_t sport, uint32_t seq, uint32_t ack) {
  uint8_t* tcp = f.data() + 34;
  tcp[0] = static_cast<uint8_t>(sport >> 8);
  tcp[1] = static_cast<uint8_t>(sport);
  tcp[2] = 0;
  tcp[3] = 80;
  for (int i = 0; i < 4; ++i) {
    tcp[4 + i] = static_cast<uint8_t>(seq >> (24 - 8 * i));
    tcp[8 + i] = static_cast<uint8_t>(ack >> (24 - 8 * i));
  }
}

}  // namespace

// The spine's per-packet work on one client segment: decode, key, flow table.
static Flow* spine(std::vector<uint8_t>& frame, FlowTable& flows, uint16_t sport, uint32_t seq, uint32_t ack,
                   uint64_t now, Packet& out) {
  patch(frame, sport, seq, ack);
  if (decode_packet(frame.data(), static_cast<uint32_t>(frame.size()), out) != DecodeStatus::Ok) return nullptr;
  bool src_is_lo = true;
  FlowKey key = make_flow_key(out, src_is_lo);
  bool created = false;
  Flow* f = flows.find_or_create(key, flow_hash(key), src_is_lo, now, created);
  flows.on_packet(*f, f->from_initiator(src_is_lo), out.tcp_flags, out.payload_len, now);
  return f;
}

static int run(uint32_t flows, uint64_t segments, uint32_t reorder, bool touch, bool with_stream, double& gbps);

int main(int argc, char** argv) {
  const uint32_t flows = argc > 1 ? static_cast<uint32_t>(std::atoi(argv[1])) : 1000;
  const uint64_t segments = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 4000000;
  const uint32_t reorder = argc > 3 ? static_cast<uint32_t>(std::atoi(argv[3])) : 0;
  const bool touch = argc > 4 ? std::atoi(argv[4]) != 0 : true;
  double spine_gbps = 0, stream_gbps = 0;
  int rc = run(flows, segments, reorder, touch, false, spine_gbps);
  rc |= run(flows, segments, reorder, touch, true, stream_gbps);
  std::printf("ratio: spine+stream / spine = %.2f  (flows=%u reorder=%u%%)\n", stream_gbps / spine_gbps, flows,
              reorder);
  return rc;
}

static int run(uint32_t flows, uint64_t segments, uint32_t reorder, bool touch, bool with_stream, double& gbps) {
  StreamConfig cfg;
  cfg.memory_blocks = flows * 8 + 1024;
  StreamContext ctx(cfg);
  TcpStreamTable table(flows + 1);
  SummingSink sink;
  sink.touch_ = touch;
  std::vector<uint8_t> frame = template_frame();
  weir::config::FlowConfig fc;
  FlowTable flow_table(flows * 2 + 16, make_flow_timeouts(fc, 1000000000ull), 1000000000ull);
  uint64_t now = 1;
  uint64_t spine_bytes = 0;

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
      Packet p;
      Flow* flow = spine(frame, flow_table, static_cast<uint16_t>(1024 + f), x.cisn + 1 + rel, x.sisn + 1, ++now, p);
      if (flow == nullptr) return 2;
      spine_bytes += p.payload_len;
      if (with_stream) {
        const SegmentVerdict v = s.on_segment(ctx, p, true, {}, sink);
        not_forwarded += v.action != SegmentAction::Forward;
      }
      ++sent;
      if (with_stream && !x.hold && (x.next / kMss) % 2 == 0) {
        const uint32_t delivered = s.direction(true).next_seq();
        s.on_segment(ctx, segment(frame.data(), false, x.sisn + 1, delivered, tcp_flag::kAck, 0), false, {},
                     sink);
        ++acks;
      }
    }
  }
  const double secs = thread_seconds() - t0;
  if (!with_stream) {
    gbps = static_cast<double>(spine_bytes) * 8 / secs / 1e9;
    std::printf("spine (decode + flow): %.1f ns/segment, %.2f Gbps payload per core\n",
                secs * 1e9 / static_cast<double>(sent), gbps);
    return 0;
  }
  const double bits = static_cast<double>(sink.bytes_) * 8;
  gbps = bits / secs / 1e9;
  std::printf("flows=%u segments=%llu reorder=%u%% sink_reads=%d acks=%llu dropped=%llu\n", flows,
              static_cast<unsigned long long>(sent), reorder, sink.touch_ ? 1 : 0,
              static_cast<unsigned long long>(acks),
              static_cast<unsigned long long>(not_forwarded));
  std::printf("spine + stream stage: %.1f ns/data segment (acks included), %.2f Gbps payload per core, "
              "inspected %llu bytes (sum %llu)\n",
              secs * 1e9 / static_cast<double>(sent), gbps,
              static_cast<unsigned long long>(sink.bytes_), static_cast<unsigned long long>(sink.sum_ & 0xff));
  std::printf("memory: %zu bytes per idle flow (TcpStream), pool high water %u blocks of %u bytes\n",
              TcpStreamTable::bytes_per_flow(), ctx.memory.high_water(), StreamBlock::kSize);
  for (uint32_t f = 0; f < flows; ++f) table.release(f + 1, ctx);
  return ctx.memory.in_use() == 0 ? 0 : 1;
}
