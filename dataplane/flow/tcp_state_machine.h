#pragma once
// The TCP connection state a flow is in, advanced by each packet's flags and
// direction. Deliberately coarse: it drives timeouts and mid-stream policy,
// not segment acceptance (stream reassembly checks sequence numbers).

#include <cstdint>

#include "dataplane/flow/flow.h"

namespace weir::dp {

/// Returns the state after a packet with `tcp_flags` travelling from the
/// initiator (`from_initiator`) or the responder. `fin_seen` (bit 0:
/// initiator, bit 1: responder) is updated with the FINs seen.
///  * None: SYN -> SynSent; RST -> Closed; anything else -> MidStream (a FIN
///    then moves on to Closing).
///  * SynSent: SYN-ACK from the responder -> SynReceived; an ACK from the
///    initiator (the SYN-ACK took another path) -> Established.
///  * SynReceived: ACK from the initiator -> Established.
///  * FIN in any open state -> Closing; FINs both ways -> Closed.
///  * RST in any state -> Closed.
///  * Closed: a new SYN from the initiator (port reuse) -> SynSent.
TcpState tcp_next_state(TcpState state, uint8_t& fin_seen, bool from_initiator,
                        uint8_t tcp_flags);

/// True when tcp_next_state() would return `state` unchanged whatever the
/// direction: no SYN, FIN or RST, in a state only those move (the bulk of a
/// connection's packets). Lets the per-packet path skip the call.
inline bool tcp_state_steady(TcpState state, uint8_t tcp_flags) {
  constexpr uint8_t kMoving = tcp_flag::kSyn | tcp_flag::kFin | tcp_flag::kRst;
  constexpr unsigned kSteady = 1u << static_cast<unsigned>(TcpState::Established) |
                               1u << static_cast<unsigned>(TcpState::Closing) |
                               1u << static_cast<unsigned>(TcpState::Closed) |
                               1u << static_cast<unsigned>(TcpState::MidStream);
  return (tcp_flags & kMoving) == 0 && ((kSteady >> static_cast<unsigned>(state)) & 1u) != 0;
}

}  // namespace weir::dp
