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

}  // namespace weir::dp
