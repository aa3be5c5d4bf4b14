// build_tcp_reset(): layer by layer into the caller's buffer; checksums last.

#include "dataplane/stream/tcp_reset_builder.h"

#include <cstring>

#include "dataplane/stream/tcp_checksum.h"

namespace weir::dp {
namespace {

constexpr uint32_t kMinFrameLen = 60;  // Ethernet minimum without FCS
constexpr uint8_t kDefaultTtl = 64;

inline void put16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
inline void put32(uint8_t* p, uint32_t v) {
  put16(p, static_cast<uint16_t>(v >> 16));
  put16(p + 2, static_cast<uint16_t>(v));
}

}  // namespace

uint32_t build_tcp_reset(const Packet& pkt, ResetTarget target, uint32_t seq, uint32_t ack,
                         uint8_t* out, uint32_t cap) {
  if (!pkt.is_tcp() || pkt.l3_offset < 14) return 0;
  const bool v4 = pkt.l3 == L3Kind::Ipv4;
  const uint32_t ip_len = v4 ? 20 : 40;
  const uint32_t len = pkt.l3_offset + ip_len + 20;
  const uint32_t frame_len = len < kMinFrameLen ? kMinFrameLen : len;
  if (cap < frame_len) return 0;
  std::memset(out, 0, frame_len);

  const bool back = target == ResetTarget::Sender;
  std::memcpy(out, pkt.frame, pkt.l3_offset);  // MACs, VLAN tags, EtherType
  if (back) {
    std::memcpy(out, pkt.frame + 6, 6);
    std::memcpy(out + 6, pkt.frame, 6);
  }
  const IpAddress& src = back ? pkt.dst : pkt.src;
  const IpAddress& dst = back ? pkt.src : pkt.dst;

  uint8_t* ip = out + pkt.l3_offset;
  if (v4) {
    ip[0] = 0x45;
    put16(ip + 2, static_cast<uint16_t>(ip_len + 20));
    put16(ip + 6, 0x4000);  // DF
    ip[8] = kDefaultTtl;
    ip[9] = 6;
    std::memcpy(ip + 12, src.data() + 12, 4);
    std::memcpy(ip + 16, dst.data() + 12, 4);
    put16(ip + 10, checksum_finish(checksum_add(0, ip, 20)));
  } else {
    ip[0] = 0x60;
    put16(ip + 4, 20);
    ip[6] = 6;
    ip[7] = kDefaultTtl;
    std::memcpy(ip + 8, src.data(), 16);
    std::memcpy(ip + 24, dst.data(), 16);
  }

  uint8_t* tcp = ip + ip_len;
  put16(tcp, back ? pkt.dst_port : pkt.src_port);
  put16(tcp + 2, back ? pkt.src_port : pkt.dst_port);
  put32(tcp + 4, seq);
  put32(tcp + 8, ack);
  tcp[12] = 5 << 4;
  tcp[13] = tcp_flag::kRst | tcp_flag::kAck;
  const uint32_t sum = checksum_add(pseudo_header_sum(v4, src, dst, 6, 20), tcp, 20);
  put16(tcp + 16, checksum_finish(sum));
  return frame_len;
}

}  // namespace weir::dp
