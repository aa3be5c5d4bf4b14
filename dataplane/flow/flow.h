#pragma once
// Flow: both directions of one connection on its owner worker. Holds TCP state,
// timestamps, counters and the slots later stages keep their per-flow state in.
// Fixed size, pool-allocated by FlowTable: no allocation on the packet path.

#include <cstdint>

#include "dataplane/flow/flow_key.h"

namespace weir::dp {

enum class TcpState : uint8_t {
  None,         ///< not TCP
  SynSent,      ///< SYN seen from the initiator
  SynReceived,  ///< SYN-ACK seen
  Established,
  Closing,      ///< FIN seen in one direction
  Closed,       ///< FIN both ways (and ACKed) or RST: waits tcp_closed_timeout then is removed
  MidStream,    ///< picked up without a handshake
};

/// How a flow left the table; counted per reason.
enum class FlowEnd : uint8_t { Closed, Expired, Evicted, LifetimeExceeded };

struct Flow {
  FlowKey key;
  uint32_t hash = 0;
  bool initiator_is_lo = true;   ///< the first packet's source was key.lo
  bool in_scope = true;          ///< decided once at creation (scope config)
  TcpState tcp_state = TcpState::None;
  uint8_t fin_seen = 0;          ///< bit 0: from initiator, bit 1: from responder
  uint64_t created_tsc = 0;
  uint64_t last_seen_tsc = 0;
  uint64_t packets[2] = {0, 0};  ///< [0] initiator->responder, [1] responder->initiator
  uint64_t bytes[2] = {0, 0};
  uint32_t policy_generation = 0;

  // Timer wheel linkage (owned by FlowTable).
  uint32_t timer_next = 0;
  uint32_t timer_prev = 0;
  uint32_t timer_slot = 0;
  // Hash chain linkage (owned by FlowTable).
  uint32_t chain_next = 0;
};

}  // namespace weir::dp
