#pragma once
// Test helper: builds complete Ethernet/[VLAN]/IPv4|IPv6/TCP frames between a
// fixed client (198.18.0.1:40000 / 2001:2::1) and server (198.18.1.1:80 /
// 2001:2::2) with real options and correct checksums, computed here
// independently of the code under test.

#include <arpa/inet.h>

#include <cstdint>
#include <string>
#include <vector>

namespace weir::dp::test {

struct SegmentSpec {
  bool v6 = false;
  bool from_client = true;
  uint32_t seq = 0;
  uint32_t ack = 0;
  uint8_t flags = 0x10;  // ACK
  uint16_t window = 65535;
  std::vector<uint8_t> options;  // padded to 4 bytes with NOPs (before the list)
  std::string payload;
  uint8_t ttl = 64;
  std::vector<uint16_t> vlans;  // outer first; the outer uses TPID 0x88a8 when two
};

inline void put16(std::vector<uint8_t>& f, size_t off, uint16_t v) {
  f[off] = static_cast<uint8_t>(v >> 8);
  f[off + 1] = static_cast<uint8_t>(v);
}

/// Reference RFC 1071 sum over big-endian words.
inline uint32_t ref_sum(const uint8_t* p, size_t n, uint32_t sum = 0) {
  for (size_t i = 0; i < n; i += 2) sum += static_cast<uint32_t>(p[i] << 8 | (i + 1 < n ? p[i + 1] : 0));
  return sum;
}
inline uint16_t ref_fold(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum & 0xffff);
}

/// Fills the IPv4 header and TCP checksums of a frame (IPv4 or IPv6, no
/// extension headers) whose IP header starts at `l3`.
inline void fix_checksums(std::vector<uint8_t>& f, size_t l3) {
  const bool v6 = (f[l3] >> 4) == 6;
  const size_t ihl = v6 ? 40 : (f[l3] & 0x0f) * 4u;
  const size_t l4 = l3 + ihl;
  const size_t l4_len = v6 ? (f[l3 + 4] << 8 | f[l3 + 5]) : (f[l3 + 2] << 8 | f[l3 + 3]) - ihl;
  if (!v6) {
    put16(f, l3 + 10, 0);
    put16(f, l3 + 10, ref_fold(ref_sum(&f[l3], ihl)));
  }
  put16(f, l4 + 16, 0);
  uint32_t sum = 0;
  if (v6) {
    sum = ref_sum(&f[l3 + 8], 32);
    sum += static_cast<uint32_t>(l4_len) + 6;
  } else {
    sum = ref_sum(&f[l3 + 12], 8);
    sum += 6 + static_cast<uint32_t>(l4_len);
  }
  sum = ref_sum(&f[l4], l4_len, sum);
  put16(f, l4 + 16, ref_fold(sum));
}

inline std::vector<uint8_t> build_segment(const SegmentSpec& s) {
  std::vector<uint8_t> f;
  auto u8 = [&](uint8_t v) { f.push_back(v); };
  auto u16 = [&](uint16_t v) { u8(static_cast<uint8_t>(v >> 8)); u8(static_cast<uint8_t>(v)); };
  auto u32 = [&](uint32_t v) { u16(static_cast<uint16_t>(v >> 16)); u16(static_cast<uint16_t>(v)); };
  const uint8_t client_mac[6] = {0x02, 0, 0, 0, 0, 0x01};
  const uint8_t server_mac[6] = {0x02, 0, 0, 0, 0, 0x02};
  for (uint8_t b : s.from_client ? server_mac : client_mac) u8(b);
  for (uint8_t b : s.from_client ? client_mac : server_mac) u8(b);
  for (size_t i = 0; i < s.vlans.size(); ++i) {
    u16(s.vlans.size() == 2 && i == 0 ? 0x88a8 : 0x8100);
    u16(s.vlans[i]);
  }
  u16(s.v6 ? 0x86dd : 0x0800);
  const size_t l3 = f.size();
  std::vector<uint8_t> opts = s.options;
  while (opts.size() % 4 != 0) opts.insert(opts.begin(), 1);
  const size_t tcp_len = 20 + opts.size() + s.payload.size();
  uint8_t a[16], b[16];
  if (s.v6) {
    inet_pton(AF_INET6, s.from_client ? "2001:2::1" : "2001:2::2", a);
    inet_pton(AF_INET6, s.from_client ? "2001:2::2" : "2001:2::1", b);
    u8(0x60); u8(0); u16(0); u16(static_cast<uint16_t>(tcp_len)); u8(6); u8(s.ttl);
    for (int i = 0; i < 16; ++i) u8(a[i]);
    for (int i = 0; i < 16; ++i) u8(b[i]);
  } else {
    inet_pton(AF_INET, s.from_client ? "198.18.0.1" : "198.18.1.1", a);
    inet_pton(AF_INET, s.from_client ? "198.18.1.1" : "198.18.0.1", b);
    u8(0x45); u8(0); u16(static_cast<uint16_t>(20 + tcp_len)); u16(1); u16(0x4000);
    u8(s.ttl); u8(6); u16(0);
    for (int i = 0; i < 4; ++i) u8(a[i]);
    for (int i = 0; i < 4; ++i) u8(b[i]);
  }
  u16(s.from_client ? 40000 : 80);
  u16(s.from_client ? 80 : 40000);
  u32(s.seq);
  u32(s.ack);
  u8(static_cast<uint8_t>((5 + opts.size() / 4) << 4));
  u8(s.flags);
  u16(s.window);
  u16(0);
  u16(0);
  for (uint8_t o : opts) u8(o);
  for (char c : s.payload) u8(static_cast<uint8_t>(c));
  fix_checksums(f, l3);
  return f;
}

inline std::vector<uint8_t> opt_wscale(uint8_t shift) { return {3, 3, shift}; }
inline std::vector<uint8_t> opt_mss(uint16_t mss) {
  return {2, 4, static_cast<uint8_t>(mss >> 8), static_cast<uint8_t>(mss)};
}
inline std::vector<uint8_t> opt_timestamp(uint32_t val, uint32_t ecr) {
  std::vector<uint8_t> o = {8, 10};
  for (uint32_t v : {val, ecr}) {
    for (int sh = 24; sh >= 0; sh -= 8) o.push_back(static_cast<uint8_t>(v >> sh));
  }
  return o;
}
inline std::vector<uint8_t> cat(std::vector<uint8_t> a, const std::vector<uint8_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace weir::dp::test
