#pragma once
// FlowKey: the normalised 5-tuple (lower endpoint first) plus VLAN and port
// pair, so both directions of a connection are one key and overlapping address
// spaces on different VLANs/pairs stay apart. flow_hash() is symmetric by
// construction; the worker that owns a flow is flow_hash % workers.
//
// Key and hash run once per packet, so they are inline and work on the
// 48-byte key as six 64-bit words.

#include <cstdint>
#include <cstring>
#if defined(__SSE4_1__)
#include <smmintrin.h>
#endif

#include "dataplane/packet.h"

namespace weir::dp {

struct FlowKey {
  IpAddress lo_addr{};    ///< the lower (address, port) endpoint
  IpAddress hi_addr{};
  uint16_t lo_port = 0;   ///< 0 for protocols without ports (ICMP, others)
  uint16_t hi_port = 0;
  uint16_t vlan = 0;      ///< outer VID (0 when untagged)
  uint16_t vlan_inner = 0;  ///< inner VID for QinQ (0 otherwise)
  uint8_t proto = 0;      ///< IP protocol after IPv6 extension headers
  uint8_t pair = 0;       ///< port pair the packet arrived on
  uint8_t reserved[6] = {0, 0, 0, 0, 0, 0};  ///< zero: keeps memcmp and the hash free of padding

  /// Compared without branches (libc memcmp is a call): three 16-byte
  /// vectors, or six 64-bit words.
  bool operator==(const FlowKey& o) const {
#if defined(__SSE4_1__)
    const auto* a = reinterpret_cast<const __m128i*>(this);
    const auto* b = reinterpret_cast<const __m128i*>(&o);
    const __m128i d = _mm_or_si128(
        _mm_or_si128(_mm_xor_si128(_mm_loadu_si128(a), _mm_loadu_si128(b)),
                     _mm_xor_si128(_mm_loadu_si128(a + 1), _mm_loadu_si128(b + 1))),
        _mm_xor_si128(_mm_loadu_si128(a + 2), _mm_loadu_si128(b + 2)));
    return _mm_testz_si128(d, d) != 0;
#else
    uint64_t a[6], b[6];
    std::memcpy(a, this, sizeof(a));
    std::memcpy(b, &o, sizeof(b));
    return ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3]) | (a[4] ^ b[4]) |
            (a[5] ^ b[5])) == 0;
#endif
  }
};
static_assert(sizeof(FlowKey) == 48, "FlowKey is compared and hashed as six words: no padding");

namespace flow_key_detail {

/// The end of every key hash: the folded multiply of the two CRC chains.
inline uint32_t fold_hash(uint64_t h) {
  // CRC is linear; a folded multiply (the 128-bit product's halves xored, as
  // in wyhash) spreads every input bit over all output bits in one multiply,
  // where murmur3's finaliser took two and three shift/xor rounds.
  constexpr uint64_t kFold = 0x9e3779b97f4a7c15ull;
#if defined(__x86_64__)
  // One mulq for both halves: GCC stores an unsigned __int128 product to the
  // stack and loads it back.
  uint64_t lo, hi;
  asm("mulq %3" : "=a"(lo), "=d"(hi) : "a"(h), "r"(kFold) : "cc");
  const uint64_t folded = lo ^ hi;
#else
  const unsigned __int128 p = static_cast<unsigned __int128>(h) * kFold;
  const uint64_t folded = static_cast<uint64_t>(p) ^ static_cast<uint64_t>(p >> 64);
#endif
  return static_cast<uint32_t>(folded ^ (folded >> 32));
}

/// The hash of a key given as its six words (little-endian layout of FlowKey).
inline uint32_t hash_words(uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3, uint64_t w4,
                           uint64_t w5) {
#if defined(__SSE4_2__)
  // Two independent CRC chains: crc32 has a 3-cycle latency, so interleaving
  // halves the dependency chain on the per-packet path.
  uint64_t a = 0xffffffffu, b = 0x9e3779b9u;
  a = __builtin_ia32_crc32di(a, w0);
  b = __builtin_ia32_crc32di(b, w1);
  a = __builtin_ia32_crc32di(a, w2);
  b = __builtin_ia32_crc32di(b, w3);
  a = __builtin_ia32_crc32di(a, w4);
  b = __builtin_ia32_crc32di(b, w5);
  // Both 32-bit CRCs side by side: no bit of either chain is lost.
  return fold_hash(a | b << 32);
#else
  uint64_t h = 0x9e3779b97f4a7c15ull;
  for (uint64_t v : {w0, w1, w2, w3, w4, w5}) h = (h ^ v) * 0xff51afd7ed558ccdull;
  return fold_hash(h);
#endif
}

/// What the crc32 instruction gives for a 64-bit word (CRC-32C, reflected,
/// no inversion), at compile time.
constexpr uint32_t crc32c_word(uint32_t crc, uint64_t v) {
  for (int i = 0; i < 64; ++i) {
    const bool low = ((crc ^ v) & 1) != 0;
    crc = (crc >> 1) ^ (low ? 0x82f63b78u : 0u);
    v >>= 1;
  }
  return crc;
}

/// hash_words(0, w1, 0, w3, w4, w5). An IPv4 key's words 0 and 2 (the upper
/// halves of its mapped addresses) are zero, so chain a's first two steps
/// are a constant: four crc32 instead of six.
inline uint32_t ipv4_hash_words(uint64_t w1, uint64_t w3, uint64_t w4, uint64_t w5) {
#if defined(__SSE4_2__)
  constexpr uint32_t kAfterZeros = crc32c_word(crc32c_word(0xffffffffu, 0), 0);
  const uint64_t a = __builtin_ia32_crc32di(kAfterZeros, w4);
  uint64_t b = 0x9e3779b9u;
  b = __builtin_ia32_crc32di(b, w1);
  b = __builtin_ia32_crc32di(b, w3);
  b = __builtin_ia32_crc32di(b, w5);
  return fold_hash(a | b << 32);
#else
  return hash_words(0, w1, 0, w3, w4, w5);
#endif
}

inline uint64_t load64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

/// Stores a key's six words into `k`, word by word: a staging array would be
/// stored and reloaded wider.
[[gnu::always_inline]] inline void store_key(FlowKey& k, uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3,
                                             uint64_t w4, uint64_t w5) {
  auto* out = reinterpret_cast<uint8_t*>(&k);
  std::memcpy(out, &w0, 8);
  std::memcpy(out + 8, &w1, 8);
  std::memcpy(out + 16, &w2, 8);
  std::memcpy(out + 24, &w3, 8);
  std::memcpy(out + 32, &w4, 8);
  std::memcpy(out + 40, &w5, 8);
}

/// The key from a packet's source and destination address words (as
/// IpAddress bytes, loaded little-endian), ports (host order), VLAN tags
/// (outer << 32 | inner << 48) and word 5 (protocol | pair << 8): stored into
/// `k` as six words, hashed from the registers; returns the hash.
[[gnu::always_inline]] inline uint32_t key_from_words(uint64_t s0, uint64_t s1, uint64_t d0, uint64_t d1,
                                                      uint64_t sp, uint64_t dp, uint64_t tags, uint64_t w5,
                                                      FlowKey& k, bool& src_is_lo) {
  // Byte-wise (memcmp) order of (address, port): big-endian word compares,
  // as 128-bit numbers so the compiler can use flags instead of branches.
  using U128 = unsigned __int128;
  const U128 src = U128{__builtin_bswap64(s0)} << 64 | __builtin_bswap64(s1);
  const U128 dst = U128{__builtin_bswap64(d0)} << 64 | __builtin_bswap64(d1);
  const bool lo = src < dst || (src == dst && sp <= dp);
  const uint64_t w0 = lo ? s0 : d0, w1 = lo ? s1 : d1;
  const uint64_t w2 = lo ? d0 : s0, w3 = lo ? d1 : s1;
  const uint64_t w4 = (lo ? (sp | dp << 16) : (dp | sp << 16)) | tags;
  store_key(k, w0, w1, w2, w3, w4, w5);
  src_is_lo = lo;
  return hash_words(w0, w1, w2, w3, w4, w5);
}

/// key_from_words() for IPv4 addresses `sa`, `da` as loaded from the header
/// (network byte order), mapped to ::ffff:a.b.c.d as decode maps them.
[[gnu::always_inline]] inline uint32_t key_from_ipv4(uint32_t sa, uint32_t da, uint64_t sp, uint64_t dp,
                                                     uint64_t tags, uint64_t w5, FlowKey& k, bool& src_is_lo) {
  // The mapped addresses share their upper 96 bits: the byte-wise order is
  // that of the IPv4 addresses as big-endian numbers.
  const uint32_t sa_be = __builtin_bswap32(sa), da_be = __builtin_bswap32(da);
  const bool lo = sa_be < da_be || (sa_be == da_be && sp <= dp);
  constexpr uint64_t kMappedMark = uint64_t{0xffff} << 16;  // bytes 10-11 of ::ffff:a.b.c.d
  const uint64_t s1 = kMappedMark | uint64_t{sa} << 32, d1 = kMappedMark | uint64_t{da} << 32;
  const uint64_t w1 = lo ? s1 : d1, w3 = lo ? d1 : s1;
  const uint64_t w4 = (lo ? (sp | dp << 16) : (dp | sp << 16)) | tags;
  store_key(k, 0, w1, 0, w3, w4, w5);
  src_is_lo = lo;
  return ipv4_hash_words(w1, w3, w4, w5);
}

}  // namespace flow_key_detail

/// Builds the normalised key into `k` and returns flow_hash(k); `src_is_lo`
/// tells whether the packet's source is the key's lo endpoint (the packet's
/// direction relative to the key). The key's words are built in registers,
/// stored once and hashed from the registers: storing the key field by field
/// and reading it back as words would stall on store forwarding. Every input
/// is read before the first store, which could alias `p` and force reloads.
inline uint32_t make_flow_key_hashed(const Packet& p, FlowKey& k, bool& src_is_lo) {
  using flow_key_detail::load64;
  const uint64_t s0 = load64(p.src.data()), s1 = load64(p.src.data() + 8);
  const uint64_t d0 = load64(p.dst.data()), d1 = load64(p.dst.data() + 8);
  const uint64_t tags = uint64_t{p.vlan_outer} << 32 | uint64_t{p.vlan_inner} << 48;
  const uint64_t w5 = uint64_t{p.ip_proto} | uint64_t{p.pair} << 8;
  return flow_key_detail::key_from_words(s0, s1, d0, d1, p.src_port, p.dst_port, tags, w5, k, src_is_lo);
}

/// Builds the normalised key; `src_is_lo` tells whether the packet's source is
/// the key's lo endpoint (the packet's direction relative to the key).
inline FlowKey make_flow_key(const Packet& p, bool& src_is_lo) {
  FlowKey k;
  make_flow_key_hashed(p, k, src_is_lo);
  return k;
}

/// Symmetric 32-bit hash of a key (same value for both directions): CRC32C
/// over the key, then a multiply/xor-shift finaliser so that both the low bits
/// (hash % workers) and any other bit range are evenly spread.
inline uint32_t flow_hash(const FlowKey& k) {
  uint64_t w[6];
  static_assert(sizeof(w) == sizeof(FlowKey));
  std::memcpy(w, &k, sizeof(w));
  return flow_key_detail::hash_words(w[0], w[1], w[2], w[3], w[4], w[5]);
}

}  // namespace weir::dp
