// One's-complement sums over big-endian 16-bit words, kept in 32 bits and
// folded at the end (a 64 KiB segment cannot overflow 32 bits).

#include "dataplane/stream/tcp_checksum.h"

namespace weir::dp {

uint32_t checksum_add(uint32_t sum, const uint8_t* data, size_t len) {
  size_t i = 0;
  for (; i + 1 < len; i += 2) sum += static_cast<uint32_t>(data[i] << 8 | data[i + 1]);
  if (i < len) sum += static_cast<uint32_t>(data[i] << 8);
  return sum;
}

uint16_t checksum_finish(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

uint32_t pseudo_header_sum(bool ipv4, const IpAddress& src, const IpAddress& dst, uint8_t proto,
                           uint32_t l4_len) {
  uint32_t sum = 0;
  if (ipv4) {
    sum = checksum_add(sum, src.data() + 12, 4);
    sum = checksum_add(sum, dst.data() + 12, 4);
    sum += proto;
    sum += l4_len;
  } else {
    sum = checksum_add(sum, src.data(), 16);
    sum = checksum_add(sum, dst.data(), 16);
    sum += l4_len >> 16;
    sum += l4_len & 0xffff;
    sum += proto;
  }
  return sum;
}

bool tcp_checksum_ok(const Packet& pkt) {
  if (!pkt.is_tcp()) return false;
  const uint32_t l4_len = uint32_t{pkt.l3_offset} + pkt.l3_len - pkt.l4_offset;
  uint32_t sum = pseudo_header_sum(pkt.l3 == L3Kind::Ipv4, pkt.src, pkt.dst, 6, l4_len);
  sum = checksum_add(sum, pkt.frame + pkt.l4_offset, l4_len);
  return checksum_finish(sum) == 0;
}

}  // namespace weir::dp
