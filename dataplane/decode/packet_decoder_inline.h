#pragma once
// The body of decode_packet(), inline. The worker's burst loop decodes with
// decode_packet_inline() so the decoder is part of the loop: no call, and no
// spill and reload of the loop's registers around one (perf/README.md,
// Bridging). Everything else calls decode_packet() (packet_decoder.cc), which
// is this same code. IPv6 extension headers (rare) are walked out of line.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "dataplane/decode/packet_decoder.h"

namespace weir::dp {
namespace decode_detail {

constexpr uint16_t kEtherTypeIpv4 = 0x0800;
constexpr uint16_t kEtherTypeIpv6 = 0x86dd;
constexpr uint16_t kEtherTypeVlan = 0x8100;   // 802.1Q C-tag
constexpr uint16_t kEtherTypeQinq = 0x88a8;   // 802.1ad S-tag
constexpr uint16_t kEtherTypeQinqOld = 0x9100;
constexpr uint32_t kEthernetHeaderLen = 14;
constexpr uint32_t kVlanTagLen = 4;
constexpr uint8_t kMaxVlanTags = 2;

constexpr uint8_t kProtoIcmp = 1;
constexpr uint8_t kProtoTcp = 6;
constexpr uint8_t kProtoUdp = 17;
constexpr uint8_t kProtoIcmpv6 = 58;
constexpr uint8_t kProtoNoNext = 59;
constexpr uint8_t kExtHopByHop = 0;
constexpr uint8_t kExtRouting = 43;
constexpr uint8_t kExtFragment = 44;
constexpr uint8_t kExtAuth = 51;
constexpr uint8_t kExtDestOptions = 60;
/// Real traffic carries at most 2-3; a long chain only serves evasion or
/// burning our cycles.
constexpr int kMaxIpv6ExtensionHeaders = 8;

inline uint16_t be16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
inline uint32_t be32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return __builtin_bswap32(v);
}

// a + b in one's-complement 64-bit arithmetic (end-around carry): the carry
// out of bit 63 comes back in at bit 0. Never overflows again: a + b - 2^64 + 1
// < 2^64.
inline uint64_t add_end_around(uint64_t a, uint64_t b) {
  uint64_t sum;
  const bool carry = __builtin_add_overflow(a, b, &sum);
  return sum + carry;
}

// RFC 1071: the one's-complement sum is byte-order independent. The header's
// native 64-bit and 32-bit words are summed with end-around carry, which keeps
// the sum's value modulo 2^64 - 1, a multiple of 65535 (2^64 - 1 =
// (2^16 - 1)(2^16 + 1)(2^32 + 1)). A correct header's 16-bit one's-complement
// sum is 0xffff: the 16-bit words add up to a nonzero multiple of 65535. So
// the check is one divisibility test, not four folds. A header of all zeros
// (sum 0) is the only multiple that is not valid; `len` >= 20.
inline bool ipv4_checksum_ok(const uint8_t* h, uint32_t len) {
  uint64_t a, b;
  uint32_t c;
  std::memcpy(&a, h, 8);
  std::memcpy(&b, h + 8, 8);
  std::memcpy(&c, h + 16, 4);
  uint64_t sum = add_end_around(add_end_around(a, b), c);
  for (uint32_t i = 20; i < len; i += 4) {
    uint32_t w;
    std::memcpy(&w, h + i, 4);
    sum = add_end_around(sum, w);
  }
  return sum % 65535 == 0 && sum != 0;
}

// Every Packet field's reset value is all-zero bytes. GCC lowers
// `out = Packet{}` to `rep stos`, whose start-up cost was half of the decode
// time; unrolled 16-byte stores are a few cycles.
inline void reset(Packet& out) {
  static_assert(std::is_trivially_copyable_v<Packet>);
#if defined(__SSE2__)
  char* d = reinterpret_cast<char*>(&out);
  const __m128i zero = _mm_setzero_si128();
  // Straight-line stores: a loop here is turned back into memset.
  [&]<size_t... I>(std::index_sequence<I...>) {
    (_mm_storeu_si128(reinterpret_cast<__m128i*>(d + I * 16), zero), ...);
  }(std::make_index_sequence<sizeof(Packet) / 16>{});
  if constexpr (sizeof(Packet) % 16 != 0) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d + sizeof(Packet) - 16), zero);
  }
#else
  out = Packet{};
#endif
}

// Addresses are written as two 64-bit words each, the way the flow key reads
// them right after: a load that spans several smaller pending stores cannot
// be forwarded from the store buffer and stalls until they retire.
inline void store_words(IpAddress& out, uint64_t hi, uint64_t lo) {
  std::memcpy(out.data(), &hi, 8);
  std::memcpy(out.data() + 8, &lo, 8);
}

// Source and destination port in one 32-bit store: the flow key reads them
// as one word right after decode (see store_words()).
inline void store_ports(const uint8_t* l4, Packet& out) {
  static_assert(offsetof(Packet, dst_port) == offsetof(Packet, src_port) + 2);
  uint32_t v;
  std::memcpy(&v, l4, 4);
  v = __builtin_bswap32(v);                   // dst_port in the low half, src_port in the high
  const uint32_t ports = v >> 16 | v << 16;  // little-endian: src_port first
  std::memcpy(reinterpret_cast<uint8_t*>(&out) + offsetof(Packet, src_port), &ports, 4);
}

// ::ffff:a.b.c.d: bytes 10 and 11 are 0xff, the address in bytes 12..15.
inline void map_ipv4(const uint8_t* a, IpAddress& out) {
  uint32_t v;
  std::memcpy(&v, a, 4);
  constexpr uint64_t kMappedMark = uint64_t{0xffff} << 16;  // little-endian bytes 10, 11 of the word
  store_words(out, 0, kMappedMark | uint64_t{v} << 32);
}

inline void copy_ipv6(const uint8_t* a, IpAddress& out) {
  uint64_t hi, lo;
  std::memcpy(&hi, a, 8);
  std::memcpy(&lo, a + 8, 8);
  store_words(out, hi, lo);
}

// The per-layer helpers are inlined into decode_packet(): one call per frame.
// L4 over [off, end). `first_fragment`: the UDP length describes the whole
// datagram, not this fragment, so it is only checked for sanity.
[[gnu::always_inline]] inline DecodeStatus decode_l4(const uint8_t* f, uint32_t off, uint32_t end,
                                                     bool first_fragment, Packet& out) {
  const uint32_t avail = end - off;
  const uint8_t* h = f + off;
  switch (out.ip_proto) {
    case kProtoTcp: {
      if (avail < 20) return DecodeStatus::TruncatedTcp;
      const uint32_t hl = static_cast<uint32_t>(h[12] >> 4) * 4;
      if (hl < 20 || hl > avail) return DecodeStatus::BadTcpDataOffset;
      out.l4 = L4Kind::Tcp;
      store_ports(h, out);
      out.tcp_seq = be32(h + 4);
      out.tcp_ack = be32(h + 8);
      out.tcp_flags = h[13];
      out.tcp_window = be16(h + 14);
      out.tcp_header_len = static_cast<uint8_t>(hl);
      out.l4_offset = static_cast<uint16_t>(off);
      out.payload_offset = static_cast<uint16_t>(off + hl);
      out.payload_len = static_cast<uint16_t>(avail - hl);
      return DecodeStatus::Ok;
    }
    case kProtoUdp: {
      if (avail < 8) return DecodeStatus::TruncatedUdp;
      uint32_t ulen = be16(h + 4);
      if (ulen < 8) return DecodeStatus::BadUdpLength;
      if (first_fragment) {
        ulen = avail;  // the datagram continues in later fragments
      } else if (ulen > avail) {
        return DecodeStatus::BadUdpLength;
      }
      out.l4 = L4Kind::Udp;
      store_ports(h, out);
      out.l4_offset = static_cast<uint16_t>(off);
      out.payload_offset = static_cast<uint16_t>(off + 8);
      out.payload_len = static_cast<uint16_t>(ulen - 8);
      return DecodeStatus::Ok;
    }
    case kProtoIcmp:
    case kProtoIcmpv6: {
      // ICMP in IPv6 or ICMPv6 in IPv4 is just an unknown protocol.
      if ((out.ip_proto == kProtoIcmp) != (out.l3 == L3Kind::Ipv4)) break;
      // Every ICMP/ICMPv6 message has the 4-byte rest-of-header after
      // type, code and checksum.
      if (avail < 8) return DecodeStatus::TruncatedIcmp;
      out.l4 = out.ip_proto == kProtoIcmp ? L4Kind::Icmp : L4Kind::Icmpv6;
      out.icmp_type = h[0];
      out.icmp_code = h[1];
      out.l4_offset = static_cast<uint16_t>(off);
      out.payload_offset = static_cast<uint16_t>(off + 8);
      out.payload_len = static_cast<uint16_t>(avail - 8);
      return DecodeStatus::Ok;
    }
    case kProtoNoNext:
      if (out.l3 == L3Kind::Ipv6) return DecodeStatus::Ok;  // nothing follows
      break;
    default:
      break;
  }
  out.l4 = L4Kind::Other;
  out.l4_offset = static_cast<uint16_t>(off);
  out.payload_offset = static_cast<uint16_t>(off);
  out.payload_len = static_cast<uint16_t>(avail);
  return DecodeStatus::Ok;
}

[[gnu::always_inline]] inline DecodeStatus decode_ipv4(const uint8_t* f, uint32_t off, uint32_t len,
                                                       Packet& out) {
  if (len - off < 20) return DecodeStatus::TruncatedIpv4;
  const uint8_t* h = f + off;
  if ((h[0] >> 4) != 4) return DecodeStatus::BadIpv4Version;
  const uint32_t hl = static_cast<uint32_t>(h[0] & 0x0f) * 4;
  if (hl < 20 || hl > len - off) return DecodeStatus::BadIpv4HeaderLength;
  const uint32_t total = be16(h + 2);
  if (total < hl) return DecodeStatus::Ipv4LengthTooShort;
  if (total > len - off) return DecodeStatus::Ipv4LengthPastFrame;
  if (!ipv4_checksum_ok(h, hl)) return DecodeStatus::BadIpv4Checksum;

  out.l3 = L3Kind::Ipv4;
  out.l3_len = static_cast<uint16_t>(total);
  out.l3_header_len = static_cast<uint16_t>(hl);
  out.ttl = h[8];
  out.ip_proto = h[9];
  map_ipv4(h + 12, out.src);
  map_ipv4(h + 16, out.dst);
  const uint16_t frag = be16(h + 6);
  const uint16_t frag_offset = static_cast<uint16_t>((frag & 0x1fff) * 8);
  const bool more = (frag & 0x2000) != 0;
  if (frag_offset != 0 || more) {
    out.is_fragment = true;
    out.frag_offset = frag_offset;
    out.more_fragments = more;
    out.frag_id = be16(h + 4);
    if (frag_offset != 0) return DecodeStatus::Ok;  // no L4 header here
  }
  return decode_l4(f, off + hl, off + total, out.is_fragment, out);
}

/// Out of line (packet_decoder.cc): the IPv6 extension headers from `next`
/// (one of them) at off + 40, then L4.
DecodeStatus decode_ipv6_extensions(const uint8_t* f, uint32_t off, uint32_t end, uint8_t next,
                                    Packet& out);

inline bool is_ipv6_extension(uint8_t next) {
  return next == kExtHopByHop || next == kExtRouting || next == kExtFragment ||
         next == kExtDestOptions || next == kExtAuth;
}

[[gnu::always_inline]] inline DecodeStatus decode_ipv6(const uint8_t* f, uint32_t off, uint32_t len,
                                                       Packet& out) {
  if (len - off < 40) return DecodeStatus::TruncatedIpv6;
  const uint8_t* h = f + off;
  if ((h[0] >> 4) != 6) return DecodeStatus::BadIpv6Version;
  const uint32_t end = off + 40 + be16(h + 4);
  if (end > len) return DecodeStatus::Ipv6LengthPastFrame;

  out.l3 = L3Kind::Ipv6;
  out.l3_len = static_cast<uint16_t>(end - off);
  out.ttl = h[7];
  copy_ipv6(h + 8, out.src);
  copy_ipv6(h + 24, out.dst);

  const uint8_t next = h[6];
  if (is_ipv6_extension(next)) return decode_ipv6_extensions(f, off, end, next, out);
  out.ip_proto = next;
  out.l3_header_len = 40;
  return decode_l4(f, off + 40, end, false, out);
}

}  // namespace decode_detail

/// decode_packet(), inline (see the top of this file).
[[gnu::always_inline]] inline DecodeStatus decode_packet_inline(const uint8_t* frame, uint32_t len,
                                                                Packet& out) {
  using namespace decode_detail;
  reset(out);
  out.frame = frame;
  out.frame_len = len;
  if (len > 0xffff) len = 0xffff;
  if (len < kEthernetHeaderLen) return DecodeStatus::TruncatedEthernet;

  uint16_t type = be16(frame + 12);
  uint32_t off = kEthernetHeaderLen;
  while (type == kEtherTypeVlan || type == kEtherTypeQinq || type == kEtherTypeQinqOld) {
    if (out.vlan_count == kMaxVlanTags) return DecodeStatus::TooManyVlanTags;
    if (len - off < kVlanTagLen) return DecodeStatus::TruncatedVlan;
    const uint16_t vid = be16(frame + off) & 0x0fff;
    if (out.vlan_count == 0) {
      out.vlan_outer = vid;
    } else {
      out.vlan_inner = vid;
    }
    ++out.vlan_count;
    type = be16(frame + off + 2);
    off += kVlanTagLen;
  }
  out.ether_type = type;
  out.l3_offset = static_cast<uint16_t>(off);
  if (type == kEtherTypeIpv4) return decode_ipv4(frame, off, len, out);
  if (type == kEtherTypeIpv6) return decode_ipv6(frame, off, len, out);
  // ARP, LLDP, slow protocols (LACP), and 802.3 length-field frames (STP/LLC,
  // type < 0x600) all land here: valid L2, bridged per the non_ip policy.
  return DecodeStatus::NotIp;
}

}  // namespace weir::dp
