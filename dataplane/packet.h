#pragma once
// Packet: the decoded view of one frame. Offsets into the frame bytes (an mbuf's
// data, which must be contiguous: the dataplane rejects multi-segment mbufs
// before decode), the 5-tuple, TCP fields and the payload span. Filled by
// decode_packet() from raw bytes, so decode is tested and fuzzed without DPDK.

#include <array>
#include <cstdint>

namespace weir::dp {

/// Which port of the pair a frame came in on.
enum class Side : uint8_t { Client = 0, Server = 1 };
inline constexpr Side peer_of(Side s) { return s == Side::Client ? Side::Server : Side::Client; }

enum class L3Kind : uint8_t { None, Ipv4, Ipv6 };
enum class L4Kind : uint8_t { None, Tcp, Udp, Icmp, Icmpv6, Other };

namespace tcp_flag {
inline constexpr uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10,
                         kUrg = 0x20, kEce = 0x40, kCwr = 0x80;
}

/// 16-byte address; IPv4 is stored IPv4-mapped (::ffff:a.b.c.d) so one type
/// and one hash serve both families.
using IpAddress = std::array<uint8_t, 16>;

struct Packet {
  const uint8_t* frame = nullptr;
  uint32_t frame_len = 0;

  // L2
  uint16_t ether_type = 0;       ///< innermost EtherType (after VLAN tags)
  uint8_t vlan_count = 0;        ///< 0, 1 (802.1Q) or 2 (QinQ)
  uint16_t vlan_outer = 0;       ///< VID of the outer tag (0 when untagged)
  uint16_t vlan_inner = 0;       ///< VID of the inner tag (QinQ)
  uint16_t l3_offset = 0;

  // L3
  L3Kind l3 = L3Kind::None;
  uint8_t ip_proto = 0;          ///< upper-layer protocol after IPv6 extension headers
  uint8_t ttl = 0;               ///< TTL / hop limit
  uint16_t l3_len = 0;           ///< IP header(s) + payload per the IP length field
  uint16_t l3_header_len = 0;    ///< IPv4 IHL*4; IPv6 40 + extension headers up to the upper layer
  uint16_t l4_offset = 0;        ///< 0 when there is no L4 header in this packet
  /// IPv4 with MF set or a non-zero offset; IPv6 with a Fragment header whose
  /// M flag or offset is set (an atomic fragment, RFC 6946, is a whole packet).
  /// A non-first fragment has l4 None, no ports and an empty payload span; its
  /// data is [l3_offset + l3_header_len, l3_offset + l3_len).
  bool is_fragment = false;
  uint16_t frag_offset = 0;      ///< in bytes
  bool more_fragments = false;
  uint32_t frag_id = 0;             ///< IPv4 identification or IPv6 Fragment header id
  uint16_t frag_header_offset = 0;  ///< IPv6: offset of the Fragment header (0 if none)
  IpAddress src{};
  IpAddress dst{};

  // L4
  L4Kind l4 = L4Kind::None;
  uint16_t src_port = 0;         ///< TCP/UDP only; 0 for ICMP and other protocols
  uint16_t dst_port = 0;
  uint8_t icmp_type = 0;         ///< ICMP / ICMPv6
  uint8_t icmp_code = 0;
  uint32_t tcp_seq = 0;
  uint32_t tcp_ack = 0;
  uint16_t tcp_window = 0;
  uint8_t tcp_flags = 0;
  uint8_t tcp_header_len = 0;
  /// L4 payload, within the IP length (ethernet padding excluded): after the
  /// TCP header, the UDP header (up to the UDP length), the 8-byte ICMP header,
  /// or the whole upper-layer data for other protocols.
  uint16_t payload_offset = 0;
  uint16_t payload_len = 0;

  // Set by the worker after decode (decode resets them).
  uint8_t pair = 0;
  Side side = Side::Client;

  bool is_ip() const { return l3 != L3Kind::None; }
  bool is_tcp() const { return l4 == L4Kind::Tcp; }
  const uint8_t* payload() const { return frame + payload_offset; }
};

}  // namespace weir::dp
