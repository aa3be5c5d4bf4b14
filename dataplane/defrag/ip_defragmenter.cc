// IpDefragmenter: datagram slots in a chained hash, a FIFO of slots by first
// arrival for expiry (the caller's clock only moves forward, so the oldest
// is always at the head), and per slot an arrival-ordered fragment array
// plus an index sorted by offset. Every overlap is compared against every
// held fragment before anything is stored, so a rejected fragment leaves
// no trace but its counter.

#include "dataplane/defrag/ip_defragmenter.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace weir::dp {
namespace {

constexpr uint8_t kProtoIcmp = 1;
constexpr uint8_t kProtoTcp = 6;
constexpr uint8_t kProtoUdp = 17;
constexpr uint8_t kProtoIcmpv6 = 58;
constexpr uint8_t kExtAuth = 51;
constexpr uint32_t kMaxFrame = 0xffff;  // decode_packet() reads at most this much
constexpr uint32_t kMaxIpLength = 0xffff;

inline uint16_t be16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
inline void put16(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}

inline uint32_t fnv(uint32_t h, const uint8_t* p, size_t n) {
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 16777619u;
  return h;
}

uint32_t key_hash(const Packet& p) {
  uint32_t h = 2166136261u;
  h = fnv(h, p.src.data(), 16);
  h = fnv(h, p.dst.data(), 16);
  const uint8_t rest[] = {static_cast<uint8_t>(p.frag_id >> 24), static_cast<uint8_t>(p.frag_id >> 16),
                          static_cast<uint8_t>(p.frag_id >> 8), static_cast<uint8_t>(p.frag_id),
                          static_cast<uint8_t>(p.l3), p.pair,
                          static_cast<uint8_t>(p.vlan_outer), static_cast<uint8_t>(p.vlan_inner)};
  return fnv(h, rest, sizeof rest);
}

// RFC 1858 / RFC 7112: the first fragment must hold the whole upper-layer
// header, or filters that look only at it can be fooled by later fragments.
bool tiny_first_fragment(const Packet& pkt, uint32_t data_end) {
  if (pkt.l3_header_len == 0) return true;  // IPv6 header chain cut by the fragment end
  const uint32_t upper = uint32_t{pkt.l3_offset} + pkt.l3_header_len;
  if (upper > data_end) return true;
  const uint32_t avail = data_end - upper;
  switch (pkt.ip_proto) {
    case kProtoTcp:
      return avail < 20 || avail < uint32_t{static_cast<uint8_t>(pkt.frame[upper + 12] >> 4)} * 4;
    case kProtoUdp:
    case kProtoIcmp:
    case kProtoIcmpv6:
      return avail < 8;
    default:
      return false;
  }
}

}  // namespace

IpDefragmenter::IpDefragmenter(const DefragConfig& cfg)
    : max_datagrams_(std::max<uint32_t>(cfg.max_datagrams, 1)),
      max_fragments_(std::clamp<uint32_t>(cfg.max_fragments, 1, 255)),
      max_bytes_(cfg.max_bytes),
      timeout_tsc_(cfg.timeout_tsc),
      slots_(size_t{max_datagrams_} + 1),
      frags_((size_t{max_datagrams_} + 1) * max_fragments_),
      order_((size_t{max_datagrams_} + 1) * max_fragments_),
      buckets_(std::bit_ceil(2 * max_datagrams_)),
      out_(size_t{max_fragments_} + 1),
      buffer_(kMaxFrame) {
  bucket_mask_ = static_cast<uint32_t>(buckets_.size()) - 1;
  for (uint32_t i = 1; i <= max_datagrams_; ++i) slots_[i].chain_next = i < max_datagrams_ ? i + 1 : 0;
  free_head_ = 1;
}

uint32_t IpDefragmenter::lookup(const Packet& pkt, uint32_t hash) const {
  for (uint32_t i = buckets_[hash & bucket_mask_]; i != 0; i = slots_[i].chain_next) {
    const Datagram& d = slots_[i];
    // RFC 791: IPv4 datagrams are identified by (src, dst, protocol, id);
    // RFC 8200: IPv6 by (src, dst, id).
    if (d.hash == hash && d.id == pkt.frag_id && d.l3 == static_cast<uint8_t>(pkt.l3) &&
        (pkt.l3 == L3Kind::Ipv6 || d.proto == pkt.ip_proto) && d.pair == pkt.pair &&
        d.vlan_outer == pkt.vlan_outer && d.vlan_inner == pkt.vlan_inner && d.src == pkt.src &&
        d.dst == pkt.dst) {
      return i;
    }
  }
  return 0;
}

uint32_t IpDefragmenter::create(const Packet& pkt, uint32_t hash, uint64_t now) {
  const uint32_t i = free_head_;
  Datagram& d = slots_[i];
  free_head_ = d.chain_next;
  d = Datagram{};
  d.src = pkt.src;
  d.dst = pkt.dst;
  d.id = pkt.frag_id;
  d.l3 = static_cast<uint8_t>(pkt.l3);
  d.proto = pkt.l3 == L3Kind::Ipv4 ? pkt.ip_proto : 0;
  d.pair = pkt.pair;
  d.vlan_outer = pkt.vlan_outer;
  d.vlan_inner = pkt.vlan_inner;
  d.hash = hash;
  d.first_tsc = now;
  d.in_use = true;
  d.chain_next = buckets_[hash & bucket_mask_];
  buckets_[hash & bucket_mask_] = i;
  d.age_prev = age_tail_;
  if (age_tail_ != 0) {
    slots_[age_tail_].age_next = i;
  } else {
    age_head_ = i;
  }
  age_tail_ = i;
  ++in_flight_;
  return i;
}

void IpDefragmenter::free_slot(uint32_t slot) {
  Datagram& d = slots_[slot];
  uint32_t* link = &buckets_[d.hash & bucket_mask_];
  while (*link != slot) link = &slots_[*link].chain_next;
  *link = d.chain_next;
  if (d.age_prev != 0) {
    slots_[d.age_prev].age_next = d.age_next;
  } else {
    age_head_ = d.age_next;
  }
  if (d.age_next != 0) {
    slots_[d.age_next].age_prev = d.age_prev;
  } else {
    age_tail_ = d.age_prev;
  }
  bytes_held_ -= d.bytes;
  fragments_held_ -= d.count;
  --in_flight_;
  d.in_use = false;
  d.chain_next = free_head_;
  free_head_ = slot;
}

DefragResult IpDefragmenter::give_back(uint32_t slot, DefragReason reason, void* extra) {
  const Datagram& d = slots_[slot];
  const Fragment* f = frags_of(slot);
  uint32_t n = 0;
  for (uint32_t i = 0; i < d.count; ++i) out_[n++] = f[i].handle;
  if (extra != nullptr) out_[n++] = extra;
  free_slot(slot);
  return {DefragStatus::Returned, count(reason), std::span<void* const>(out_.data(), n), {}};
}

DefragResult IpDefragmenter::give_back_one(void* handle, DefragReason reason) {
  out_[0] = handle;
  return {DefragStatus::Returned, count(reason), std::span<void* const>(out_.data(), 1), {}};
}

bool IpDefragmenter::complete(const Datagram& d) const {
  if (!d.have_first || !d.have_last) return false;
  const uint32_t slot = static_cast<uint32_t>(&d - slots_.data());
  const Fragment* f = &frags_[size_t{slot} * max_fragments_];
  const uint8_t* ord = &order_[size_t{slot} * max_fragments_];
  uint32_t covered = 0;
  for (uint32_t i = 0; i < d.count; ++i) {
    const Fragment& x = f[ord[i]];
    if (x.offset > covered) return false;
    covered = std::max<uint32_t>(covered, uint32_t{x.offset} + x.len);
  }
  return covered >= d.total;
}

bool IpDefragmenter::build(const Datagram& d, uint32_t slot) {
  const uint32_t frame_len = uint32_t{d.prefix_len} + d.total;
  if (frame_len > buffer_.size()) return false;
  uint8_t* b = buffer_.data();
  std::memcpy(b, d.first_frame, d.prefix_len);
  const Fragment* f = frags_of(slot);
  for (uint32_t i = 0; i < d.count; ++i) {
    std::memcpy(b + d.prefix_len + f[i].offset, f[i].data, f[i].len);  // overlaps are identical
  }
  uint8_t* ip = b + d.l3_offset;
  if (d.l3 == static_cast<uint8_t>(L3Kind::Ipv4)) {
    const uint32_t hl = d.prefix_len - d.l3_offset;
    put16(ip + 2, hl + d.total);
    put16(ip + 6, be16(ip + 6) & 0x4000);  // keep DF; MF and offset cleared
    put16(ip + 10, 0);
    uint32_t sum = 0;
    for (uint32_t i = 0; i < hl; i += 2) sum += be16(ip + i);
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    put16(ip + 10, ~sum & 0xffff);
  } else {
    put16(ip + 4, d.frag_header_offset - d.l3_offset - 40u + d.total);
    // The header before the Fragment header now names what followed it.
    uint32_t nh = d.l3_offset + 6u;
    uint32_t p = d.l3_offset + 40u;
    while (p < d.frag_header_offset) {
      const uint32_t len = b[nh] == kExtAuth ? (b[p + 1] + 2u) * 4 : (b[p + 1] + 1u) * 8;
      nh = p;
      p += len;
    }
    if (p != d.frag_header_offset) return false;
    b[nh] = d.first_frame[d.frag_header_offset];
  }
  return true;
}

DefragResult IpDefragmenter::add(const Packet& pkt, void* handle, uint64_t now) {
  const bool v6 = pkt.l3 == L3Kind::Ipv6;
  if (!pkt.is_fragment || !pkt.is_ip() || (v6 && pkt.frag_header_offset == 0)) {
    return give_back_one(handle, DefragReason::BadFragmentLength);
  }
  const uint32_t data_start =
      v6 ? pkt.frag_header_offset + 8u : uint32_t{pkt.l3_offset} + pkt.l3_header_len;
  const uint32_t data_end = uint32_t{pkt.l3_offset} + pkt.l3_len;
  const uint32_t hash = key_hash(pkt);
  uint32_t slot = lookup(pkt, hash);
  auto fail = [&](DefragReason r) {
    return slot != 0 ? give_back(slot, r, handle) : give_back_one(handle, r);
  };
  if (data_end <= data_start) return fail(DefragReason::BadFragmentLength);
  const uint32_t off = pkt.frag_offset;
  const uint32_t len = data_end - data_start;
  const uint32_t end = off + len;
  if (pkt.more_fragments && len % 8 != 0) return fail(DefragReason::BadFragmentLength);
  if (off == 0 && tiny_first_fragment(pkt, data_end)) return fail(DefragReason::TinyFirstFragment);
  if (off != 0 && off < 20 && pkt.ip_proto == kProtoTcp) return fail(DefragReason::TcpHeaderOverlap);
  const uint32_t unfragmentable = v6 ? pkt.frag_header_offset - pkt.l3_offset : pkt.l3_header_len;
  if (unfragmentable + end > kMaxIpLength + (v6 ? 40u : 0u)) return fail(DefragReason::Oversize);

  if (slot == 0) {
    if (in_flight_ == max_datagrams_) return give_back_one(handle, DefragReason::TooManyDatagrams);
    slot = create(pkt, hash, now);
  }
  Datagram& d = slots_[slot];
  if (d.count == max_fragments_) return fail(DefragReason::TooManyFragments);
  if (bytes_held_ + pkt.frame_len > max_bytes_) return fail(DefragReason::MemoryCap);

  Fragment* f = frags_of(slot);
  if (!pkt.more_fragments) {
    if (d.have_last && d.total != end) return fail(DefragReason::InconsistentLength);
    for (uint32_t i = 0; i < d.count; ++i) {
      if (uint32_t{f[i].offset} + f[i].len > end) return fail(DefragReason::InconsistentLength);
    }
  } else if (d.have_last && end > d.total) {
    return fail(DefragReason::InconsistentLength);
  }

  const uint8_t* data = pkt.frame + data_start;
  bool overlap = false;
  for (uint32_t i = 0; i < d.count; ++i) {
    const uint32_t lo = std::max<uint32_t>(off, f[i].offset);
    const uint32_t hi = std::min<uint32_t>(end, uint32_t{f[i].offset} + f[i].len);
    if (lo >= hi) continue;
    if (std::memcmp(data + (lo - off), f[i].data + (lo - f[i].offset), hi - lo) != 0) {
      return fail(DefragReason::OverlapMismatch);
    }
    if (f[i].offset == off && f[i].len == len) return give_back_one(handle, DefragReason::Duplicate);
    overlap = true;
  }

  // Accepted: store, keeping the offset index sorted (insertion: <= 255).
  const uint32_t n = d.count;
  f[n] = Fragment{handle, data, pkt.frame_len, static_cast<uint16_t>(off), static_cast<uint16_t>(len)};
  uint8_t* ord = &order_[size_t{slot} * max_fragments_];
  uint32_t pos = n;
  while (pos > 0 && f[ord[pos - 1]].offset > off) {
    ord[pos] = ord[pos - 1];
    --pos;
  }
  ord[pos] = static_cast<uint8_t>(n);
  ++d.count;
  d.bytes += pkt.frame_len;
  bytes_held_ += pkt.frame_len;
  ++fragments_held_;
  if (!pkt.more_fragments) {
    d.have_last = true;
    d.total = static_cast<uint16_t>(end);
  }
  if (off == 0) {
    d.have_first = true;
    d.first_frame = pkt.frame;
    d.l3_offset = pkt.l3_offset;
    d.frag_header_offset = pkt.frag_header_offset;
    d.prefix_len = static_cast<uint16_t>(v6 ? pkt.frag_header_offset : data_start);
  }
  if (!complete(d)) {
    return {DefragStatus::Held, count(overlap ? DefragReason::OverlapIdentical : DefragReason::Held),
            {}, {}};
  }
  if (overlap) count(DefragReason::OverlapIdentical);
  if (!build(d, slot)) return give_back(slot, DefragReason::Oversize, nullptr);
  const uint32_t frame_len = uint32_t{d.prefix_len} + d.total;
  DefragResult r = give_back(slot, DefragReason::Complete, nullptr);
  r.status = DefragStatus::Complete;
  r.datagram = std::span<const uint8_t>(buffer_.data(), frame_len);
  return r;
}

DefragResult IpDefragmenter::expire(uint64_t now) {
  if (age_head_ == 0 || timeout_tsc_ == 0) return {};
  if (now - slots_[age_head_].first_tsc < timeout_tsc_) return {};
  return give_back(age_head_, DefragReason::Timeout, nullptr);
}

DefragResult IpDefragmenter::drain() {
  if (age_head_ == 0) return {};
  DefragResult r = give_back(age_head_, DefragReason::Timeout, nullptr);
  --stats_.reasons[static_cast<size_t>(DefragReason::Timeout)];  // shutdown, not a timeout
  return r;
}

}  // namespace weir::dp
