// parse_tcp_options(): a bounded walk of kind/length/value entries.

#include "dataplane/stream/tcp_options.h"

namespace weir::dp {
namespace {

constexpr uint8_t kOptEnd = 0, kOptNop = 1, kOptMss = 2, kOptWscale = 3, kOptSackPerm = 4,
                  kOptTimestamp = 8;
constexpr uint8_t kMaxWscale = 14;

inline uint32_t be32(const uint8_t* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}

}  // namespace

TcpOptions parse_tcp_options(const Packet& pkt) {
  TcpOptions o;
  if (!pkt.is_tcp() || pkt.tcp_header_len <= 20) return o;
  const uint8_t* p = pkt.frame + pkt.l4_offset + 20;
  const uint32_t n = pkt.tcp_header_len - 20u;
  uint32_t i = 0;
  while (i < n) {
    const uint8_t kind = p[i];
    if (kind == kOptEnd) break;
    if (kind == kOptNop) {
      ++i;
      continue;
    }
    if (i + 1 >= n || p[i + 1] < 2 || p[i + 1] > n - i) {
      o.malformed = true;
      break;
    }
    const uint8_t len = p[i + 1];
    const uint8_t* v = p + i + 2;
    switch (kind) {
      case kOptMss:
        if (len == 4) {
          o.has_mss = true;
          o.mss = static_cast<uint16_t>(v[0] << 8 | v[1]);
        }
        break;
      case kOptWscale:
        if (len == 3) {
          o.has_wscale = true;
          o.wscale = v[0] > kMaxWscale ? kMaxWscale : v[0];
        }
        break;
      case kOptSackPerm:
        if (len == 2) o.sack_permitted = true;
        break;
      case kOptTimestamp:
        if (len == 10) {
          o.has_timestamp = true;
          o.ts_val = be32(v);
          o.ts_ecr = be32(v + 4);
        }
        break;
      default:
        break;
    }
    i += len;
  }
  return o;
}

}  // namespace weir::dp
