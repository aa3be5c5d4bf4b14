#pragma once
// Flow: both directions of one connection on its owner worker. Holds TCP state,
// timestamps, counters and the slots later stages keep their per-flow state in.
// Fixed size, pool-allocated by FlowTable: no allocation on the packet path.
// Layout: the first cache line holds what a lookup and the packet path test
// (key, chain, scope, direction, TCP state, last_seen), so a branch on them
// never waits for the second line, which holds counters and table linkage.

#include <cstdint>

#include "dataplane/flow/flow_key.h"

namespace weir::dp {

enum class TcpState : uint8_t {
  None,         ///< not TCP, or TCP before its first packet was tracked
  SynSent,      ///< SYN seen from the initiator
  SynReceived,  ///< SYN-ACK seen
  Established,
  Closing,      ///< FIN seen in one direction
  Closed,       ///< FIN both ways or RST: lingers tcp_closed_timeout after its last packet
  MidStream,    ///< picked up without a handshake
};

/// How a flow left the table; counted per reason.
enum class FlowEnd : uint8_t { Closed, Expired, Evicted, LifetimeExceeded };

struct alignas(64) Flow {
  // --- cache line 0: what a lookup and the packet path's decisions read
  // (key, chain, scope, direction, TCP state, last seen). The hash is not
  // stored (flow_hash(key) gives it back), which keeps Flow at two lines.
  FlowKey key;
  uint32_t chain_next = 0;       ///< hash chain (FlowTable)
  TcpState tcp_state = TcpState::None;
  uint8_t fin_seen = 0;          ///< bit 0: from initiator, bit 1: from responder
  bool initiator_is_lo = true;   ///< the first packet's source was key.lo
  bool in_scope = true;          ///< decided once at creation (ScopeMatcher), by the caller
  uint64_t last_seen_tsc = 0;

  // --- cache line 1: counters (written per packet, never tested) and linkage
  uint64_t created_tsc = 0;
  uint64_t packets[2] = {0, 0};  ///< [0] initiator->responder, [1] responder->initiator
  uint64_t bytes[2] = {0, 0};    ///< L4 payload bytes, same indexing

  // --- FlowTable linkage (owned by FlowTable)
  uint32_t timer_next = 0;
  uint32_t timer_prev = 0;
  uint32_t timer_due = 0;        ///< wheel tick the timer entry fires at

  /// Direction of a packet whose source is the key's lo endpoint when
  /// `src_is_lo`: true when it goes initiator -> responder.
  bool from_initiator(bool src_is_lo) const { return src_is_lo == initiator_is_lo; }
};
static_assert(sizeof(Flow) == 128, "two cache lines; later stages keep their state in arrays indexed by FlowTable::slot_of()");

}  // namespace weir::dp
