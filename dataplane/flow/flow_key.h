#pragma once
// FlowKey: the normalised 5-tuple (lower endpoint first) plus VLAN and port
// pair, so both directions of a connection are one key and overlapping address
// spaces on different VLANs/pairs stay apart. flow_hash() is symmetric by
// construction; the worker that owns a flow is flow_hash % workers.

#include <cstdint>
#include <cstring>

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

  /// Six 64-bit words compared without branches (libc memcmp is a call).
  bool operator==(const FlowKey& o) const {
    uint64_t a[6], b[6];
    std::memcpy(a, this, sizeof(a));
    std::memcpy(b, &o, sizeof(b));
    return ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3]) | (a[4] ^ b[4]) |
            (a[5] ^ b[5])) == 0;
  }
};
static_assert(sizeof(FlowKey) == 48, "FlowKey is compared and hashed as six words: no padding");

/// Builds the normalised key; `src_is_lo` tells whether the packet's source is
/// the key's lo endpoint (the packet's direction relative to the key).
FlowKey make_flow_key(const Packet& p, bool& src_is_lo);

/// Symmetric 32-bit hash of a key (same value for both directions): CRC32C
/// over the key, then a multiply/xor-shift finaliser so that both the low bits
/// (hash % workers) and any other bit range are evenly spread.
uint32_t flow_hash(const FlowKey& k);

}  // namespace weir::dp
