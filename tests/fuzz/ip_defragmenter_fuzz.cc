// libFuzzer target: IpDefragmenter driven by a script of IPv4/IPv6 fragments
// (a few datagram ids, arbitrary offsets, lengths, flags and differing
// bytes), clock steps and raw frames. Invariants:
//  * every handle given to add() comes back exactly once (Complete or
//    Returned) or is still held; held counts and bytes match the caller's view;
//  * a Complete datagram holds, at each returned fragment's offset, exactly
//    that fragment's bytes (overlaps were identical) and decodes without
//    touching memory past it;
//  * after drain() nothing is held: memory returns to zero.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

#include "dataplane/decode/packet_decoder.h"
#include "dataplane/defrag/ip_defragmenter.h"
#include "tests/fuzz/fuzz_reader.h"
#include "tests/unit/dataplane/frame_builder.h"

namespace {

using namespace weir::dp;

using Reader = FuzzReader;

struct Held {
  std::vector<uint8_t> frame;
  Packet pkt;
  bool held = false;
  uint32_t data_start = 0;
  uint32_t len = 0;
};

class Harness {
 public:
  explicit Harness(const DefragConfig& cfg) : df_(cfg) {}

  void add_frame(std::vector<uint8_t> frame, uint64_t now) {
    frames_.emplace_back();
    Held& h = frames_.back();
    h.frame = std::move(frame);
    decode_packet(h.frame.data(), static_cast<uint32_t>(h.frame.size()), h.pkt);
    if (!h.pkt.is_fragment) return;
    const bool v6 = h.pkt.l3 == L3Kind::Ipv6;
    h.data_start = v6 ? h.pkt.frag_header_offset + 8u : uint32_t{h.pkt.l3_offset} + h.pkt.l3_header_len;
    const uint32_t end = uint32_t{h.pkt.l3_offset} + h.pkt.l3_len;
    h.len = end > h.data_start ? end - h.data_start : 0;
    h.held = true;
    held_bytes_ += h.frame.size();
    ++held_count_;
    check(df_.add(h.pkt, &h, now));
  }

  void check(const DefragResult& r) {
    if (r.status == DefragStatus::None || r.status == DefragStatus::Held) {
      FUZZ_CHECK(r.handles.empty());
    } else {
      uint32_t total = 0;
      for (void* p : r.handles) {
        Held* h = static_cast<Held*>(p);
        FUZZ_CHECK(h->held);
        h->held = false;
        held_bytes_ -= h->frame.size();
        --held_count_;
        total = std::max<uint32_t>(total, uint32_t{h->pkt.frag_offset} + h->len);
      }
      if (r.status == DefragStatus::Complete) {
        FUZZ_CHECK(r.reason == DefragReason::Complete);
        FUZZ_CHECK(r.datagram.size() >= total);
        const size_t prefix = r.datagram.size() - total;
        for (void* p : r.handles) {
          const Held* h = static_cast<Held*>(p);
          FUZZ_CHECK(std::memcmp(r.datagram.data() + prefix + h->pkt.frag_offset,
                                 h->frame.data() + h->data_start, h->len) == 0);
        }
        Packet d;
        const DecodeStatus s = decode_packet(r.datagram.data(), static_cast<uint32_t>(r.datagram.size()), d);
        if (s == DecodeStatus::Ok) FUZZ_CHECK(!d.is_fragment);
      } else {
        FUZZ_CHECK(r.status == DefragStatus::Returned);
      }
    }
    FUZZ_CHECK(defrag_reason_name(r.reason) != nullptr);
    FUZZ_CHECK(df_.fragments_held() == held_count_);
    FUZZ_CHECK(df_.bytes_held() == held_bytes_);
  }

  IpDefragmenter& df() { return df_; }
  const std::vector<uint8_t>& last_frame() const { return frames_.back().frame; }
  uint32_t held_count() const { return held_count_; }

 private:
  IpDefragmenter df_;
  std::deque<Held> frames_;
  uint64_t held_bytes_ = 0;
  uint32_t held_count_ = 0;
};

std::vector<uint8_t> fragment(Reader& in) {
  const uint8_t kind = in.u8();
  const uint8_t id = in.u8() & 3;
  uint16_t off = static_cast<uint16_t>(in.u16() & ((kind & 0x40) ? 0xfff8 : 0x00f8));
  const bool more = (kind & 0x08) != 0;
  uint32_t len = in.u8();
  if (!(kind & 0x10)) len &= ~7u;  // usually a multiple of 8
  const uint8_t variant = in.u8();
  std::string data(len, 0);
  // Consistent bytes per (id, offset) so most overlaps are identical.
  for (uint32_t i = 0; i < len; ++i) data[i] = static_cast<char>((off + i) * 29u + id);
  if (variant != 0 && len > 0) data[variant % len] ^= 0x11;
  const uint8_t proto = (kind & 0x20) ? 17 : 6;
  weir::dp::test::FrameBuilder b;
  b.eth();
  switch (kind & 3) {
    case 0:
      b.type(0x0800).ipv4("198.18.0.1", "198.18.1.1", proto, {},
                          static_cast<uint16_t>((more ? 0x2000 : 0) | off / 8), id);
      break;
    case 1:
      b.type(0x86dd).ipv6("2001:2::1", "2001:2::2", 44).frag6(proto, off, more, id);
      break;
    case 2:
      b.type(0x86dd).ipv6("2001:2::1", "2001:2::2", 0).ext(43).ext(44).frag6(proto, off, more, id);
      break;
    default:
      b.type(0x8100).vlan(0x0800, 7).ipv4("198.18.0.1", "198.18.1.1", proto, {},
                                          static_cast<uint16_t>((more ? 0x2000 : 0) | off / 8), id);
      break;
  }
  b.payload(data);
  return b.build();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Reader in(data, size);
  DefragConfig cfg;
  cfg.max_datagrams = 1 + in.u8() % 8;
  cfg.max_fragments = 1 + in.u8() % 16;
  cfg.max_bytes = 64 + in.u16() * 4u;
  cfg.timeout_tsc = in.u8();
  Harness h(cfg);
  uint64_t now = 0;
  std::vector<uint8_t> last;
  for (int steps = 0; !in.empty() && steps < 500; ++steps) {
    const uint8_t op = in.u8() % 8;
    if (op < 5) {
      h.add_frame(fragment(in), now);
    } else if (op == 5) {
      now += in.u8();
      for (DefragResult r = h.df().expire(now); r.status != DefragStatus::None; r = h.df().expire(now)) {
        h.check(r);
      }
    } else if (op == 6) {
      const std::string raw = in.bytes(in.u8());
      h.add_frame(std::vector<uint8_t>(raw.begin(), raw.end()), now);
    } else if (!last.empty()) {
      h.add_frame(last, now);  // the very same fragment again: a duplicate
    }
    if (op < 5) last = h.last_frame();
  }
  for (DefragResult r = h.df().drain(); r.status != DefragStatus::None; r = h.df().drain()) h.check(r);
  FUZZ_CHECK(h.held_count() == 0);
  FUZZ_CHECK(h.df().bytes_held() == 0 && h.df().datagrams_in_flight() == 0);
  return 0;
}
