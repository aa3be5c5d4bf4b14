// tcp_next_state(): a small table of transitions, one switch per state.

#include "dataplane/flow/tcp_state_machine.h"

namespace weir::dp {
namespace {

TcpState after_fin(uint8_t& fin_seen, bool from_initiator) {
  fin_seen |= from_initiator ? 1 : 2;
  return fin_seen == 3 ? TcpState::Closed : TcpState::Closing;
}

}  // namespace

TcpState tcp_next_state(TcpState state, uint8_t& fin_seen, bool from_initiator,
                        uint8_t tcp_flags) {
  const bool syn = (tcp_flags & tcp_flag::kSyn) != 0;
  const bool ack = (tcp_flags & tcp_flag::kAck) != 0;
  const bool fin = (tcp_flags & tcp_flag::kFin) != 0;
  if ((tcp_flags & tcp_flag::kRst) != 0) return TcpState::Closed;

  switch (state) {
    case TcpState::None:
      if (syn && !ack) return TcpState::SynSent;
      if (fin && !syn) return after_fin(fin_seen, from_initiator);
      return TcpState::MidStream;
    case TcpState::SynSent:
      if (!from_initiator && syn && ack) return TcpState::SynReceived;
      if (from_initiator && ack && !syn) {
        return fin ? after_fin(fin_seen, from_initiator) : TcpState::Established;
      }
      return state;
    case TcpState::SynReceived:
      if (fin) return after_fin(fin_seen, from_initiator);
      if (from_initiator && ack && !syn) return TcpState::Established;
      return state;
    case TcpState::Established:
    case TcpState::MidStream:
    case TcpState::Closing:
      if (fin) return after_fin(fin_seen, from_initiator);
      return state;
    case TcpState::Closed:
      if (from_initiator && syn && !ack) {
        fin_seen = 0;
        return TcpState::SynSent;
      }
      return state;
  }
  return state;
}

}  // namespace weir::dp
