#pragma once
// FrameBuilder: writes test frames byte by byte, layer after layer, then
// build() fills the IPv4 total length and checksum, the IPv6 payload length
// and the UDP length from what was written (padding added with pad() is
// outside the IP packet). Tests corrupt the result afterwards to craft
// malformed frames.

#include <arpa/inet.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace weir::dp::test {

class FrameBuilder {
 public:
  /// Destination and source MACs (the EtherType follows with type()).
  FrameBuilder& eth() {
    for (uint8_t b : {0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01}) u8(b);
    return *this;
  }
  FrameBuilder& type(uint16_t ether_type) { return u16(ether_type); }
  FrameBuilder& vlan(uint16_t tpid, uint16_t vid, uint8_t pcp = 0) {
    return u16(tpid).u16(static_cast<uint16_t>(pcp << 13 | vid));
  }

  /// IPv4 header; `frag` is the flags+offset field (0x2000 = MF, offset/8).
  FrameBuilder& ipv4(const std::string& src, const std::string& dst, uint8_t proto,
                     std::vector<uint8_t> options = {}, uint16_t frag = 0, uint16_t id = 0x1234,
                     uint8_t ttl = 64) {
    while (options.size() % 4 != 0) options.push_back(0);
    ip4_ = static_cast<int>(bytes_.size());
    u8(static_cast<uint8_t>(0x40 | (5 + options.size() / 4))).u8(0).u16(0).u16(id).u16(frag);
    u8(ttl).u8(proto).u16(0);
    addr4(src).addr4(dst);
    for (uint8_t b : options) u8(b);
    return *this;
  }
  FrameBuilder& ipv6(const std::string& src, const std::string& dst, uint8_t next,
                     uint8_t hop_limit = 64) {
    ip6_ = static_cast<int>(bytes_.size());
    u8(0x60).u8(0).u16(0).u16(0).u8(next).u8(hop_limit);
    addr6(src).addr6(dst);
    return *this;
  }
  /// Hop-by-hop (0), routing (43) or destination options (60): `len` bytes,
  /// a multiple of 8 and at least 8.
  FrameBuilder& ext(uint8_t next, size_t len = 8) {
    u8(next).u8(static_cast<uint8_t>(len / 8 - 1));
    for (size_t i = 2; i < len; ++i) u8(i == 2 ? 1 : 0);  // a PadN option start
    return *this;
  }
  /// IPv6 Fragment header; `offset` in bytes (multiple of 8).
  FrameBuilder& frag6(uint8_t next, uint16_t offset, bool more, uint32_t id) {
    u8(next).u8(0).u16(static_cast<uint16_t>(offset | (more ? 1 : 0))).u32(id);
    return *this;
  }
  /// Authentication header: `len` bytes (multiple of 4, at least 12).
  FrameBuilder& ah(uint8_t next, size_t len = 12) {
    u8(next).u8(static_cast<uint8_t>(len / 4 - 2));
    for (size_t i = 2; i < len; ++i) u8(0);
    return *this;
  }
  FrameBuilder& tcp(uint16_t sport, uint16_t dport, uint8_t flags, uint32_t seq = 1000,
                    uint32_t ack = 0, uint16_t window = 65535, size_t options_len = 0) {
    u16(sport).u16(dport).u32(seq).u32(ack);
    u8(static_cast<uint8_t>((5 + options_len / 4) << 4)).u8(flags).u16(window).u16(0).u16(0);
    for (size_t i = 0; i < options_len; ++i) u8(1);  // NOPs
    return *this;
  }
  FrameBuilder& udp(uint16_t sport, uint16_t dport) {
    udp_ = static_cast<int>(bytes_.size());
    return u16(sport).u16(dport).u16(0).u16(0);
  }
  FrameBuilder& icmp(uint8_t type, uint8_t code) { return u8(type).u8(code).u16(0).u32(0x00010001); }
  FrameBuilder& payload(size_t n, uint8_t fill = 'a') {
    for (size_t i = 0; i < n; ++i) u8(fill);
    return *this;
  }
  FrameBuilder& payload(const std::string& s) {
    for (char c : s) u8(static_cast<uint8_t>(c));
    return *this;
  }
  /// Ethernet padding after the IP packet.
  FrameBuilder& pad(size_t n) {
    if (ip_end_ < 0) ip_end_ = static_cast<int>(bytes_.size());
    return payload(n, 0);
  }

  std::vector<uint8_t> build() const {
    std::vector<uint8_t> f = bytes_;
    const int end = ip_end_ < 0 ? static_cast<int>(f.size()) : ip_end_;
    if (ip4_ >= 0) {
      put16(f, ip4_ + 2, static_cast<uint16_t>(end - ip4_));
      const int hl = (f[ip4_] & 0x0f) * 4;
      uint32_t sum = 0;
      for (int i = 0; i < hl; i += 2) sum += static_cast<uint32_t>(f[ip4_ + i] << 8 | f[ip4_ + i + 1]);
      while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
      put16(f, ip4_ + 10, static_cast<uint16_t>(~sum));
    }
    if (ip6_ >= 0) put16(f, ip6_ + 4, static_cast<uint16_t>(end - ip6_ - 40));
    if (udp_ >= 0) put16(f, udp_ + 4, static_cast<uint16_t>(end - udp_));
    return f;
  }

  int ipv4_offset() const { return ip4_; }
  int ipv6_offset() const { return ip6_; }
  size_t size() const { return bytes_.size(); }

  /// Recomputes the IPv4 header checksum after a test changed the header.
  static void fix_ipv4_checksum(std::vector<uint8_t>& f, int ip4) {
    put16(f, ip4 + 10, 0);
    const int hl = (f[ip4] & 0x0f) * 4;
    uint32_t sum = 0;
    for (int i = 0; i < hl; i += 2) sum += static_cast<uint32_t>(f[ip4 + i] << 8 | f[ip4 + i + 1]);
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    put16(f, ip4 + 10, static_cast<uint16_t>(~sum));
  }
  static void put16(std::vector<uint8_t>& f, int off, uint16_t v) {
    f[off] = static_cast<uint8_t>(v >> 8);
    f[off + 1] = static_cast<uint8_t>(v);
  }

 private:
  FrameBuilder& u8(uint8_t v) {
    bytes_.push_back(v);
    return *this;
  }
  FrameBuilder& u16(uint16_t v) { return u8(static_cast<uint8_t>(v >> 8)).u8(static_cast<uint8_t>(v)); }
  FrameBuilder& u32(uint32_t v) { return u16(static_cast<uint16_t>(v >> 16)).u16(static_cast<uint16_t>(v)); }
  FrameBuilder& addr4(const std::string& a) {
    uint8_t b[4] = {};
    inet_pton(AF_INET, a.c_str(), b);
    for (uint8_t x : b) u8(x);
    return *this;
  }
  FrameBuilder& addr6(const std::string& a) {
    uint8_t b[16] = {};
    inet_pton(AF_INET6, a.c_str(), b);
    for (uint8_t x : b) u8(x);
    return *this;
  }

  std::vector<uint8_t> bytes_;
  int ip4_ = -1;
  int ip6_ = -1;
  int udp_ = -1;
  int ip_end_ = -1;
};

/// An address as the decoder stores it (IPv4 mapped into ::ffff:0:0/96).
inline std::array<uint8_t, 16> ip(const std::string& text) {
  std::array<uint8_t, 16> a{};
  if (text.find(':') == std::string::npos) {
    a[10] = a[11] = 0xff;
    inet_pton(AF_INET, text.c_str(), a.data() + 12);
  } else {
    inet_pton(AF_INET6, text.c_str(), a.data());
  }
  return a;
}

}  // namespace weir::dp::test
