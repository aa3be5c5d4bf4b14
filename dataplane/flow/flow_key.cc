// make_flow_key() / flow_hash(): run once per packet, so both are branch-light
// and work on the 48-byte key as six 64-bit words.

#include "dataplane/flow/flow_key.h"

namespace weir::dp {

namespace {

// An address as two host-order words, so that comparing the pairs is the
// byte-wise (memcmp) order without a library call.
struct AddrWords {
  uint64_t hi, lo;
};
inline AddrWords words(const IpAddress& a) {
  uint64_t w[2];
  std::memcpy(w, a.data(), 16);
  return {__builtin_bswap64(w[0]), __builtin_bswap64(w[1])};
}

}  // namespace

FlowKey make_flow_key(const Packet& p, bool& src_is_lo) {
  FlowKey k;
  const AddrWords s = words(p.src), d = words(p.dst);
  src_is_lo = s.hi != d.hi ? s.hi < d.hi
              : s.lo != d.lo ? s.lo < d.lo
                             : p.src_port <= p.dst_port;
  if (src_is_lo) {
    k.lo_addr = p.src;
    k.hi_addr = p.dst;
    k.lo_port = p.src_port;
    k.hi_port = p.dst_port;
  } else {
    k.lo_addr = p.dst;
    k.hi_addr = p.src;
    k.lo_port = p.dst_port;
    k.hi_port = p.src_port;
  }
  k.vlan = p.vlan_outer;
  k.vlan_inner = p.vlan_inner;
  k.proto = p.ip_proto;
  k.pair = p.pair;
  return k;
}

uint32_t flow_hash(const FlowKey& k) {
  uint64_t w[6];
  static_assert(sizeof(w) == sizeof(FlowKey));
  std::memcpy(w, &k, sizeof(w));
#if defined(__SSE4_2__)
  // Two independent CRC chains: crc32 has a 3-cycle latency, so interleaving
  // halves the dependency chain on the per-packet path.
  uint64_t a = 0xffffffffu, b = 0x9e3779b9u;
  a = __builtin_ia32_crc32di(a, w[0]);
  b = __builtin_ia32_crc32di(b, w[1]);
  a = __builtin_ia32_crc32di(a, w[2]);
  b = __builtin_ia32_crc32di(b, w[3]);
  a = __builtin_ia32_crc32di(a, w[4]);
  b = __builtin_ia32_crc32di(b, w[5]);
  uint64_t h = a ^ (b << 32) ^ (b >> 7);
#else
  uint64_t h = 0x9e3779b97f4a7c15ull;
  for (uint64_t v : w) h = (h ^ v) * 0xff51afd7ed558ccdull;
#endif
  // CRC is linear; the finaliser (murmur3 fmix32) spreads every input bit
  // across all output bits.
  uint32_t x = static_cast<uint32_t>(h ^ (h >> 32));
  x ^= x >> 16;
  x *= 0x85ebca6bu;
  x ^= x >> 13;
  x *= 0xc2b2ae35u;
  x ^= x >> 16;
  return x;
}

}  // namespace weir::dp
