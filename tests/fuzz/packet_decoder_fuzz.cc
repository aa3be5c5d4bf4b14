// libFuzzer target: decode_packet() on arbitrary bytes, then a small FlowTable
// driven by the decoded packet and by the input bytes as a script. Checks the
// Packet's offsets against the frame and the IP length, the worker's fast path
// (frame_flow_key(): what it takes, decode takes the same way), and the
// table's counters against each other; ASan/UBSan catch any read past the frame.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "dataplane/decode/packet_decoder.h"
#include "dataplane/flow/flow_key.h"
#include "dataplane/flow/flow_table.h"
#include "dataplane/flow/frame_flow_key.h"

namespace {

using namespace weir::dp;

#define FUZZ_CHECK(cond) \
  do {                   \
    if (!(cond)) __builtin_trap(); \
  } while (0)

void check_packet(const Packet& p, DecodeStatus s, const uint8_t* data, size_t size) {
  FUZZ_CHECK(decode_status_name(s) != nullptr);
  FUZZ_CHECK(p.frame == data && p.frame_len == size);
  if (s != DecodeStatus::Ok) {
    FUZZ_CHECK(s == DecodeStatus::NotIp || is_malformed(s));
    return;
  }
  const uint32_t ip_end = uint32_t{p.l3_offset} + p.l3_len;
  FUZZ_CHECK(p.is_ip());
  FUZZ_CHECK(p.vlan_count <= 2);
  FUZZ_CHECK(p.l3_offset == 14 + 4 * p.vlan_count);
  FUZZ_CHECK(ip_end <= size);
  FUZZ_CHECK(p.l3_header_len <= p.l3_len);
  FUZZ_CHECK(p.l3_header_len >= (p.l3 == L3Kind::Ipv4 ? 20 : 40));
  FUZZ_CHECK(uint32_t{p.payload_offset} + p.payload_len <= ip_end);
  if (p.is_fragment && p.frag_offset != 0) FUZZ_CHECK(p.l4 == L4Kind::None && p.payload_len == 0);
  if (p.l4 == L4Kind::None) {
    FUZZ_CHECK(p.l4_offset == 0 && p.src_port == 0 && p.dst_port == 0);
  } else {
    FUZZ_CHECK(p.l4_offset == p.l3_offset + p.l3_header_len);
    FUZZ_CHECK(p.payload_offset >= p.l4_offset);
  }
  if (p.l4 == L4Kind::Tcp) {
    FUZZ_CHECK(p.tcp_header_len >= 20 && p.tcp_header_len <= 60);
    FUZZ_CHECK(p.payload_offset == p.l4_offset + p.tcp_header_len);
  }
  if (p.l4 != L4Kind::Tcp && p.l4 != L4Kind::Udp) FUZZ_CHECK(p.src_port == 0 && p.dst_port == 0);
  if (p.l3 == L3Kind::Ipv4) {
    FUZZ_CHECK(p.src[10] == 0xff && p.src[11] == 0xff && p.dst[10] == 0xff);
  }
  // Touch every payload byte: ASan reports a span that leaves the buffer.
  volatile uint8_t sink = 0;
  for (uint32_t i = 0; i < p.payload_len; ++i) sink = sink + p.payload()[i];
}

void check_table(FlowTable& t) {
  const FlowTableStats s = t.stats();
  FUZZ_CHECK(s.active <= t.capacity());
  FUZZ_CHECK(s.active == s.created - s.closed - s.expired - s.evicted - s.lifetime);
  const Flow* listed[16];
  uint64_t n = 0;
  t.for_each([&](const Flow& f) {
    FUZZ_CHECK(n < 16);
    listed[n++] = &f;
    FUZZ_CHECK(t.slot_of(f) >= 1 && t.slot_of(f) <= t.capacity());
  });
  FUZZ_CHECK(n == s.active);
  for (uint64_t i = 0; i < n; ++i) {
    FUZZ_CHECK(t.find(listed[i]->key, flow_hash(listed[i]->key)) == listed[i]);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Packet p;
  const DecodeStatus s = decode_packet(data, static_cast<uint32_t>(size), p);
  check_packet(p, s, data, size);
  Packet again;
  FUZZ_CHECK(decode_packet(data, static_cast<uint32_t>(size), again) == s);
  if (size <= 0xffff) {
    // The worker's fast path keys plain frames without a Packet: it must agree.
    FlowKey fast_key;
    uint32_t fast_hash = 0;
    bool fast_lo = false;
    FrameFlowFields ff{};
    if (frame_flow_key(data, static_cast<uint32_t>(size), 2, fast_key, fast_hash, fast_lo, ff)) {
      FUZZ_CHECK(s == DecodeStatus::Ok && !p.is_fragment && (p.is_tcp() || p.l4 == L4Kind::Udp));
      Packet q = p;
      q.pair = 2;
      FlowKey key;
      bool lo = false;
      FUZZ_CHECK(make_flow_key_hashed(q, key, lo) == fast_hash && key == fast_key && lo == fast_lo);
      FUZZ_CHECK(ff.l3_offset == p.l3_offset && ff.payload_len == p.payload_len);
      FUZZ_CHECK(ff.tcp_flags == (p.is_tcp() ? p.tcp_flags : 0) && ff.is_tcp == p.is_tcp());
    }
  }

  // The table: 1 kHz fake TSC (one wheel tick = 10 units), tiny timeouts and
  // capacity so that eviction, expiry and lifetime all happen within one input.
  constexpr uint64_t kHz = 1000;
  const FlowTimeouts to{.syn_tsc = 50, .established_tsc = 400, .closed_tsc = 20,
                        .udp_tsc = 100, .other_tsc = 60, .lifetime_tsc = 1500};
  FlowTable table(8, to, kHz);
  Packet base = s == DecodeStatus::Ok ? p : Packet{};
  if (s != DecodeStatus::Ok) base.ip_proto = 6;
  uint64_t now = 1'000'000;
  const size_t ops = size / 4 < 48 ? size / 4 : 48;  // enough to fill, evict and expire
  for (size_t i = 0; i <= ops; ++i) {
    const uint8_t* op = i < ops ? data + 4 * i : nullptr;
    Packet q = base;
    uint8_t flags = base.tcp_flags;
    if (op != nullptr) {
      q.src_port = static_cast<uint16_t>(base.src_port ^ (op[0] & 0x0f));
      if (op[0] & 0x10) {
        std::swap(q.src, q.dst);
        std::swap(q.src_port, q.dst_port);
      }
      if (op[0] & 0x20) q.ip_proto = (op[0] & 0x40) ? 17 : 1;
      flags = op[1];
      now += op[2];
    }
    bool src_is_lo = false;
    const FlowKey key = make_flow_key(q, src_is_lo);
    const uint32_t hash = flow_hash(key);
    table.prefetch(hash);
    bool created = false;
    Flow* f = table.find_or_create(key, hash, src_is_lo, now, created);
    FUZZ_CHECK(f != nullptr && f->key == key);
    FUZZ_CHECK(table.find(key, hash) == f);
    table.on_packet(*f, f->from_initiator(src_is_lo), flags, q.payload_len, now);
    if (q.ip_proto != 6) FUZZ_CHECK(f->tcp_state == TcpState::None);
    if (op != nullptr && (op[3] & 0x80)) {
      table.expire(now + (op[3] & 0x3f) * 10, static_cast<uint32_t>(op[3] & 0x07));
    }
    check_table(table);
  }
  table.expire(now + 10'000, 1000);
  FUZZ_CHECK(table.stats().active == 0);
  check_table(table);
  return 0;
}
