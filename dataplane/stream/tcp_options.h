#pragma once
// TCP options the stream stage needs, parsed from the packet's header bytes:
// window scale (RFC 7323, only meaningful on SYNs), MSS, SACK-permitted and
// timestamps (PAWS). Malformed option lists stop the walk: what was parsed
// before stays, nothing past the header is read.

#include <cstdint>

#include "dataplane/packet.h"

namespace weir::dp {

struct TcpOptions {
  bool has_wscale = false;
  uint8_t wscale = 0;  ///< clamped to 14 (RFC 7323 2.3)
  bool has_mss = false;
  uint16_t mss = 0;
  bool sack_permitted = false;
  bool has_timestamp = false;
  uint32_t ts_val = 0;
  uint32_t ts_ecr = 0;
  bool malformed = false;  ///< a length byte ran past the header or was < 2
};

/// Parses the options of the TCP header of `pkt` (which must be TCP).
TcpOptions parse_tcp_options(const Packet& pkt);

}  // namespace weir::dp
