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
  IpAddress lo_addr{};
  IpAddress hi_addr{};
  uint16_t lo_port = 0;
  uint16_t hi_port = 0;
  uint16_t vlan = 0;      ///< outer VID (inner too for QinQ: vlan_outer ^ inner<<?), see make_flow_key
  uint8_t proto = 0;
  uint8_t pair = 0;
  uint32_t vlan_inner = 0;

  bool operator==(const FlowKey& o) const { return std::memcmp(this, &o, sizeof(*this)) == 0; }
};
static_assert(sizeof(FlowKey) == 48, "FlowKey is compared with memcmp: no padding");

/// Builds the normalised key; `initiator_is_lo` tells whether the packet's
/// source is the key's lo endpoint (used to know the packet's direction).
FlowKey make_flow_key(const Packet& p, bool& src_is_lo);

/// Symmetric 32-bit hash of a key (same value for both directions).
uint32_t flow_hash(const FlowKey& k);

}  // namespace weir::dp
