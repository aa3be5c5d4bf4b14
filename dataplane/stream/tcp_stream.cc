// TcpStream: connection-level checks in front of the two reassemblers. A
// segment changes state only when it is accepted: its ACK, window and
// timestamp are applied after the data path said Forward, so a dropped
// segment (which the receiver never gets) cannot move Weir's view either.

#include "dataplane/stream/tcp_stream.h"

#include "dataplane/stream/tcp_options.h"
#include "dataplane/stream/tcp_seq.h"

namespace weir::dp {
namespace {

// Unknown scale (mid-stream pick-up): assume the largest, so a legitimate
// segment is never taken for out-of-window; what Weir forwards it inspects
// either way.
constexpr uint8_t kUnknownShift = 14;

inline SegmentVerdict verdict(SegmentAction a, SegmentReason r) { return {a, r, 0}; }

}  // namespace

SegmentVerdict TcpStream::on_segment(StreamContext& ctx, const Packet& pkt, bool from_initiator,
                                     const SegmentHints& hints, StreamSink& sink) {
  const SegmentVerdict v = handle(ctx, pkt, from_initiator ? 0 : 1, hints, sink);
  ++ctx.stats.segments[static_cast<size_t>(v.reason)];
  ctx.stats.bytes_delivered += v.delivered;
  return v;
}

uint8_t TcpStream::window_shift(int d, bool syn) const {
  if (syn) return 0;  // RFC 7323 2.2: the window of a SYN is never scaled
  if (syn_seen_[0] && syn_seen_[1]) return scaling_ ? wscale_[d] : 0;
  return kUnknownShift;
}

SegmentVerdict TcpStream::handle(StreamContext& ctx, const Packet& pkt, int d,
                                 const SegmentHints& hints, StreamSink& sink) {
  if (!pkt.is_tcp()) return verdict(SegmentAction::Forward, SegmentReason::Control);
  if (blocked_) return verdict(SegmentAction::Drop, SegmentReason::Blocked);
  // Each direction arrives on its own port: a packet claiming to come from
  // the other endpoint on this endpoint's port is spoofed (it could forge
  // the receiver's ACKs and free history still needed for comparison).
  const bool wrong_side = side_known_[d] ? side_[d] != pkt.side
                                         : side_known_[1 - d] && side_[1 - d] == pkt.side;
  if (wrong_side && ctx.config.check_side) {
    return verdict(SegmentAction::Drop, SegmentReason::WrongSide);
  }
  if (hints.bad_checksum) return verdict(SegmentAction::Drop, SegmentReason::BadChecksum);
  if (hints.ttl_expires) return verdict(SegmentAction::Drop, SegmentReason::TtlExpires);
  if (bypass_) return verdict(SegmentAction::Bypass, SegmentReason::MidStreamIgnored);

  const uint8_t flags = pkt.tcp_flags;
  const bool syn = (flags & tcp_flag::kSyn) != 0;
  const bool ack = (flags & tcp_flag::kAck) != 0;
  if (reset_) {
    // Port reuse after a reset: a fresh SYN from the initiator reopens.
    if (!(syn && !ack && d == 0)) return verdict(SegmentAction::Drop, SegmentReason::AfterRst);
    release(ctx);
  }
  if ((flags & tcp_flag::kRst) != 0) return handle_rst(ctx, pkt, d);

  TcpReassembler& x = dir_[d];
  TcpOptions opt;
  if (syn || (timestamps_ && pkt.tcp_header_len > 20)) opt = parse_tcp_options(pkt);

  if (syn) {
    if (x.started() && pkt.tcp_seq != isn_[d]) {
      const bool closed = dir_[0].fin_done() && dir_[1].fin_done();
      if (!(closed && d == 0 && !ack)) {
        return verdict(SegmentAction::Drop, SegmentReason::UnexpectedSyn);
      }
      release(ctx);  // port reuse after an orderly close
    }
    if (!x.started()) {
      isn_[d] = pkt.tcp_seq;
      x.start(pkt.tcp_seq + 1, true);
      syn_seen_[d] = true;
      has_wscale_[d] = opt.has_wscale;
      wscale_[d] = opt.wscale;
      has_ts_[d] = opt.has_timestamp;
      if (syn_seen_[0] && syn_seen_[1]) {
        scaling_ = has_wscale_[0] && has_wscale_[1];
        timestamps_ = has_ts_[0] && has_ts_[1];
      }
    }
  } else if (!x.started()) {
    if (ctx.config.mid_stream == MidStreamPolicy::Ignore) {
      bypass_ = true;
      return verdict(SegmentAction::Bypass, SegmentReason::MidStreamIgnored);
    }
    x.start(pkt.tcp_seq, false);
  }

  if (timestamps_ && ctx.config.paws && opt.has_timestamp && ts_known_[d] &&
      seq_lt(opt.ts_val, ts_recent_[d])) {
    return verdict(SegmentAction::Drop, SegmentReason::Paws);
  }

  const bool fin = (flags & tcp_flag::kFin) != 0;
  SegmentVerdict v = verdict(SegmentAction::Forward, syn ? SegmentReason::Handshake
                                                         : SegmentReason::Control);
  if (pkt.payload_len > 0 || fin) {
    const TcpReassembler::Limits limits{ctx.config.max_blocks_per_direction};
    const auto dir = d == 0 ? parse::Direction::Request : parse::Direction::Response;
    v = x.on_data(syn ? pkt.tcp_seq + 1 : pkt.tcp_seq, pkt.payload(), pkt.payload_len, fin, dir,
                  sink, ctx.memory, limits);
    if (v.action == SegmentAction::Drop) return v;
    if (v.action == SegmentAction::Block) {
      block(ctx);
      return v;
    }
    if (syn && v.reason == SegmentReason::Retransmission) v.reason = SegmentReason::Handshake;
  }

  // Accepted: what it tells about the opposite direction's receiver.
  TcpReassembler& y = dir_[1 - d];
  if (ack && y.started()) {
    y.on_receiver_ack(pkt.tcp_ack, ctx.memory);
    y.on_receiver_window(pkt.tcp_ack + (uint32_t{pkt.tcp_window} << window_shift(d, syn)));
  }
  // RFC 7323 5.3 R3: TS.Recent moves only for segments at or below what the
  // receiver has acknowledged, never for out-of-order data: otherwise a
  // reordered earlier segment (hand-off between workers, rollover) would
  // fail PAWS here while the server accepts it.
  if (opt.has_timestamp && v.reason != SegmentReason::OutOfOrder &&
      (!ts_known_[d] || seq_gt(opt.ts_val, ts_recent_[d]))) {
    ts_recent_[d] = opt.ts_val;
    ts_known_[d] = true;
  }
  if (!side_known_[d]) {
    side_known_[d] = true;
    side_[d] = pkt.side;
  }
  return v;
}

SegmentVerdict TcpStream::handle_rst(StreamContext& ctx, const Packet& pkt, int d) {
  const TcpReassembler& x = dir_[d];
  const TcpReassembler& y = dir_[1 - d];
  bool valid;
  if (x.started()) {
    valid = pkt.tcp_seq == x.next_seq();  // RFC 5961 3.2: exactly RCV.NXT
  } else {
    // Refusing a SYN (RFC 793 SYN-SENT): acceptable when it ACKs the SYN.
    valid = (pkt.tcp_flags & tcp_flag::kAck) != 0 && y.started() && pkt.tcp_ack == y.next_seq();
  }
  if (!valid) return verdict(SegmentAction::Drop, SegmentReason::InvalidRst);
  release(ctx);
  reset_ = true;
  return verdict(SegmentAction::Forward, SegmentReason::RstAccepted);
}

void TcpStream::block(StreamContext& ctx) {
  blocked_ = true;
  dir_[0].drop_storage(ctx.memory);
  dir_[1].drop_storage(ctx.memory);
}

bool TcpStream::reset_numbers(bool toward_initiator, ResetNumbers& out) const {
  const TcpReassembler& to = dir_[toward_initiator ? 1 : 0];    // data the target receives
  const TcpReassembler& from = dir_[toward_initiator ? 0 : 1];  // data the target sends
  if (!to.started()) return false;
  out.seq = to.next_seq();
  out.ack = from.started() ? from.next_seq() : 0;
  return true;
}

void TcpStream::release(StreamContext& ctx) {
  dir_[0].release(ctx.memory);
  dir_[1].release(ctx.memory);
  *this = TcpStream{};
}

}  // namespace weir::dp
